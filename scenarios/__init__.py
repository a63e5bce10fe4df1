"""The scenario harness: YAML stories run end to end (billing source → sync engine → the emulator) with
expectations on Xero state, the request log, the ledger and bank reconciliation.

This package is the composition root: it may import both ``mockxero`` (to boot the embedded emulator)
and ``syncer`` (to drive a sync over HTTP); neither of them imports it.
"""
