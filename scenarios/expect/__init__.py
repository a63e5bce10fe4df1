"""The expectation layers as pure functions over what the runner read back: each returns located failures."""
