"""Where each part of the emulator is mounted. A leaf: the app, the error renderer, the CLI banner and the
contracts all read these, and none of them needs the blueprints to know them."""

API_PREFIX = "/api.xro/2.0"  # the Accounting API, as on api.xero.com
CONTROL_PREFIX = "/mock-api"  # the control API real Xero does not have
