"""One module per rule; ``twilio_lint.registry`` discovers every ``twl*.py`` here."""
