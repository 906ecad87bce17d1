"""Rules of the currency family."""
