"""/Organisation"""

from __future__ import annotations

from flask import Blueprint

from ..exceptions import NotImplementedByXero
from ..protocol import envelope, operation
from ..schemas.organisation import ActionSchema, OrganisationSchema

bp = Blueprint("organisation", __name__)
SCOPE = "accounting.settings"
schema = OrganisationSchema()
action_schema = ActionSchema()


# pyxero, a client used against real Xero, asks for the plural path; Xero answers both.
@bp.get("/Organisation")
@bp.get("/Organisations")
@operation(SCOPE)
def get_organisation(backend):
    return envelope("Organisations", [schema.dump(backend.organisation())])


@bp.route("/Organisation", methods=["POST", "PUT"])
@bp.route("/Organisations", methods=["POST", "PUT"])
@operation(SCOPE)
def change_organisation(backend):
    # Xero's own example of a 501 is a POST to the Organisation endpoint.
    raise NotImplementedByXero("The Organisation endpoint is read-only: POST and PUT are not implemented")


@bp.get("/Organisation/Actions")
@bp.get("/Organisations/Actions")
@operation(SCOPE)
def get_actions(backend):
    return envelope("Actions", [action_schema.dump(a) for a in backend.organisation_actions()])
