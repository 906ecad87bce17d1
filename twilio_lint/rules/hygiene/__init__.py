"""Rules about twilio-lint's own directives in the code (``# noqa``)."""
