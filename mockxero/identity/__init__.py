"""The identity side of Xero: OAuth2 tokens, app clients, tenants and their connections."""
