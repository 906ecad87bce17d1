"""Rules of the resilience family."""
