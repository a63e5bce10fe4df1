"""The billing source: what a billing platform hands over, as typed, immutable records."""
