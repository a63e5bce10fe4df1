"""The engine's state store: external mappings, the intent journal and the run ledger (SQLite, WAL)."""
