"""Integration configurations: their registry, credentials and notifications."""
