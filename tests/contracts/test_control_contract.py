"""The control API against its hand-written contract (``GET /mock-api/openapi.yaml``).

A small generated run per endpoint: no 5xx, and every answer's status, content type and body as
documented. The emulator is fresh, so resetting or restoring it harms nothing.
"""

from __future__ import annotations

import pytest
import schemathesis

from .conftest import CONFORMANCE_CHECKS, SEED


@pytest.fixture
def control_schema(contract_app) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "positive", "max-examples": 8, "deterministic": True, "database": "none"},
        }
    )
    return schemathesis.openapi.from_wsgi("/mock-api/openapi.yaml", contract_app, config=config)


schema = schemathesis.pytest.from_fixture("control_schema")


@schema.parametrize()
def test_every_control_endpoint_conforms(case):
    case.call_and_validate(checks=CONFORMANCE_CHECKS)
