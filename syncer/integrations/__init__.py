"""Integration configurations: several named bill integrations per Xero organisation, and their credentials."""
