"""twilio-lint: find and fix Twilio API best-practice violations."""

__version__ = "0.4.0"
