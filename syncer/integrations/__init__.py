"""Integration configurations: several named bill integrations per Xero organisation."""
