"""Rules of the traffic family."""
