"""Rules about the run itself: files that could not be checked (reported by the engine)."""
