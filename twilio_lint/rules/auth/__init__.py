"""Rules of the auth family."""
