"""Rules of the webhooks family."""
