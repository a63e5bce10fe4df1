"""The emulator against its own published contract (``GET /openapi.yaml``), driven by schemathesis.

Stateless: every operation gets generated requests (a real token and tenant are sent, since generated ones
would all be refused) and every answer must conform. Stateful: the links in the contract chain calls, so
generated workflows create contacts and then read and update them, invoices for those contacts, payments
for those invoices, and so on.
"""

from __future__ import annotations

import hypothesis
import schemathesis
from hypothesis import HealthCheck

from mockxero.config import DEFAULT_TENANT_ID

from .conftest import SEED, checks_for

schema = schemathesis.pytest.from_fixture("accounting_schema")


@schema.parametrize()
def test_every_operation_conforms(case, auth_headers, status_ledger, fresh_keys):
    fresh_keys.refresh(case)
    response = case.call_and_validate(headers=auth_headers, checks=checks_for(case.operation))
    status_ledger.record(case.operation.label, response.status_code, "stateless")


# Scenarios × steps: enough for every link to be followed, small enough to keep the suite quick.
WORKFLOW_SETTINGS = hypothesis.settings(
    max_examples=40,
    stateful_step_count=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_workflows_conform(contract_app, accounting_schema, auth_headers, status_ledger, fresh_keys):
    base = accounting_schema.as_state_machine()

    class Workflow(base):  # type: ignore[misc, valid-type]
        rule_order_seed = SEED

        def setup(self):
            # Each scenario starts from fresh books (the token survives: only the tenant is reset).
            contract_app.extensions["mockxero"].reset(DEFAULT_TENANT_ID)

        def get_call_kwargs(self, case):
            fresh_keys.refresh(case)
            return {"headers": auth_headers}

        def after_call(self, response, case):
            super().after_call(response, case)
            status_ledger.record(case.operation.label, response.status_code, "stateful")

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=checks_for(case.operation), transport_kwargs=kwargs or None)

    Workflow.run(settings=WORKFLOW_SETTINGS)
