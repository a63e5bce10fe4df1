"""Build ``contracts/accounting.yaml``: the emulated subset of Xero's Accounting API as OpenAPI 3.0.

    python3 -m contracts.build            # rewrite contracts/accounting.yaml
    python3 -m contracts.build --check    # exit 1 if the committed file is not what the builder makes

Where each part of the output comes from:

* **Structure** (paths, methods, parameters, request bodies, schemas, enums, formats, scopes) is copied from
  Xero's official spec (``xero_accounting.yaml`` / ``xero-identity.yaml``, MIT, see ``LICENSE-Xero-OpenAPI``)
  for the operations listed in ``OPERATIONS``, together with every component they reference.
* **Words** are ours: Xero's descriptions, summaries and examples are dropped (a schema is copied through a
  whitelist of keywords, so no prose can slip through) and replaced by the text in the tables below.
* **What the mock really does** is layered on top, because generated test data finds every loose spot:
  components the mock reads through a marshmallow schema keep only the fields that schema declares, with
  its enums and its read-only fields (``COMPONENT_SCHEMAS``); dates take the forms the mock reads and writes;
  batch bodies must carry at least one element; and every operation lists the errors the mock answers with
  (Xero's 400 body, the gateway's problem bodies for 401/403/404/413/429).

The emulator never reads Xero's spec: it serves the committed output (``contracts.read_contract``).
"""
from __future__ import annotations

import argparse
import copy
import functools
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from marshmallow import fields as ma_fields

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(__file__).resolve().with_name("accounting.yaml")
REFERENCE_ENV = "MOCKXERO_XERO_SPEC_DIR"
API = "/api.xro/2.0"

# A date as the mock writes it (``/Date(1552262400000+0000)/``); the envelope's DateTimeUTC has no offset.
MS_DATE_PATTERN = r"^/Date\(-?\d+([+-]\d{4})?\)/$"
MS_ENVELOPE_PATTERN = r"^/Date\(-?\d+\)/$"


def default_reference_dir() -> Path:
    """Xero's specs: ``$MOCKXERO_XERO_SPEC_DIR``, else ``shared/reference`` beside the checkout."""
    configured = os.environ.get(REFERENCE_ENV)
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "reference"


# --- the emulated operations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One emulated Xero operation, named by Xero's operationId, described in our words."""

    operation_id: str
    summary: str
    description: str = ""
    # Other Xero operations the same route serves (``GET /Contacts/{ContactNumber}`` shares a path with
    # ``GET /Contacts/{ContactID}``; OpenAPI cannot hold both templates, so one entry describes both).
    also: tuple[str, ...] = ()
    # Path parameters whose schema differs from Xero's because of the shared route above.
    path_params: dict[str, dict] = field(default_factory=dict)
    # Fields every element of the request body must carry (creating needs more than updating does).
    require: tuple[str, ...] = ()
    # OpenAPI links from this operation's 200 answer: name -> link object (drives the stateful tests).
    links: dict[str, dict] = field(default_factory=dict)


def _link(operation_id: str, parameters: dict[str, str] | None = None, body: Any = None) -> dict:
    link: dict[str, Any] = {"operationId": operation_id}
    if parameters:
        link["parameters"] = parameters
    if body is not None:
        link["requestBody"] = body
    return link


CONTACT_ID = "$response.body#/Contacts/0/ContactID"

OPERATIONS: tuple[Op, ...] = (
    # Contacts
    Op("getContacts", "List contacts",
       "Active contacts; archived ones too with includeArchived=true."),
    Op("createContacts", "Create contacts", require=("Name",), description=
       "Every element is a new contact. Refused elements come back in one 400, or with "
       "summarizeErrors=false in a 200 where each element carries its own StatusAttributeString.",
       links={"GetCreatedContact": _link("getContact", {"ContactID": CONTACT_ID}),
              "UpdateCreatedContact": _link("updateContact", {"ContactID": CONTACT_ID})}),
    Op("updateOrCreateContacts", "Create or update contacts",
       "An element naming an existing contact (by ContactID or ContactNumber) updates it; any other "
       "element creates a contact.",
       links={"GetSavedContact": _link("getContact", {"ContactID": CONTACT_ID})}),
    Op("getContact", "Read one contact",
       "The path segment is a ContactID or, when it is not a GUID, a ContactNumber.",
       also=("getContactByContactNumber",),
       path_params={"ContactID": {"type": "string", "minLength": 1}}),
    Op("updateContact", "Update one contact",
       "The contact named in the path is updated with the (single) element of the body."),
)

# Text for the shared parameters (Xero's own descriptions are not copied).
PARAMETER_TEXT = {
    "xero-tenant-id": "The organisation (tenant) the call is for; one of the token's connections.",
    "Idempotency-Key": "A key that makes retrying this write safe (at most 128 characters).",
    "If-Modified-Since": "Only records changed at or after this UTC instant.",
    "summarizeErrors": "false answers 200 with every element and its own status instead of one 400.",
    "where": "A filter expression over the resource's fields, as Xero writes them.",
    "order": "A field name and ASC or DESC.",
    "page": "1-based page number; paged answers carry a pagination block.",
    "pageSize": "Records per page (default 100, at most 1000).",
    "includeArchived": "Include archived records.",
    "IDs": "Comma-separated identifiers to fetch.",
    "summaryOnly": "Leave out the heavier fields of each record.",
    "searchTerm": "Case-insensitive text to look for.",
    "unitdp": "4 to see unit amounts with four decimal places.",
    "ContactID": "A ContactID.",
}

# Xero components the mock reads and writes through marshmallow schemas: the contract keeps exactly the
# fields those schemas declare (with their enums and read-only flags) and closes the object, so it says
# what the mock really reads and writes. A component embedded in several shapes (a contact inside an
# invoice is a summary) lists every schema that renders it; their fields are merged.
COMPONENT_SCHEMAS: dict[str, tuple[str, ...]] = {
    "Contact": ("mockxero.schemas.contacts:ContactSchema", "mockxero.schemas.contacts:ContactSummarySchema"),

    "ContactPerson": ("mockxero.schemas.contacts:ContactPersonSchema",),
    "Address": ("mockxero.schemas.common:AddressSchema",),
    "Phone": ("mockxero.schemas.common:PhoneSchema",),
    "ValidationError": ("mockxero.schemas.common:ValidationErrorSchema",),
}

# Fields every element of a batch answer may carry besides its own (added by the protocol layer, not by the
# resource's schema): the per-element status and errors of ``summarizeErrors=false`` answers.
BATCH_ELEMENT_FIELDS = ("StatusAttributeString", "ValidationErrors", "HasErrors", "HasValidationErrors")


def business_rules() -> dict[str, dict[str, dict]]:
    """Constraints the mock's backend enforces on top of the wire types, read from the rules themselves.

    Generated requests that break them would only ever meet a 400; stating them lets generation reach the
    mock's deeper behaviour, and tells clients what a valid request is.
    """
    from mockxero.backend import contacts

    return {
        "Contact": {
            "Name": {"pattern": r"\S"},  # not blank
            "ContactStatus": {"enum": list(contacts.SETTABLE_STATUSES)},
            "EmailAddress": {"pattern": "^$|" + contacts._EMAIL.pattern},
        },
    }


TAGS = {
    "Contacts": "Customers and suppliers.",
    "Identity": "OAuth2 tokens and tenant connections, served from the same host as the API.",
}

# Operation id → tag (by the first path segment after the API prefix).
def _tag_for(path: str) -> str:
    if not path.startswith(API):
        return "Identity"
    return path[len(API) + 1:].split("/")[0]


# --- what the mock answers on errors -------------------------------------------------------------------

ERROR_RESPONSES: dict[str, dict] = {
    "BadRequest": {
        "description": "The request was refused: a business rule failed (ValidationException, with the "
                       "refused elements), the body could not be read as the resource "
                       "(PostDataInvalidException) or a query expression did not parse (QueryParseException).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
    },
    "Unauthorized": {
        "description": "No valid bearer token, or the token lacks the operation's scope.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "Forbidden": {
        "description": "The xero-tenant-id header names no organisation this token is connected to.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "NotFound": {
        "description": "Nothing with that identifier exists in this organisation.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "MethodNotAllowed": {
        "description": "Answered for any method a path does not list.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "PayloadTooLarge": {
        "description": "The body is larger than the 3.5 MB Xero accepts in one call.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
}

# Our own schemas, added to the components Xero's operations bring along.
OWN_SCHEMAS: dict[str, dict] = {
    "Envelope": {
        "type": "object",
        "description": "The fields every accounting answer carries around its collection.",
        "required": ["Id", "Status", "ProviderName", "DateTimeUTC"],
        "properties": {
            "Id": {"type": "string", "format": "uuid"},
            "Status": {"type": "string", "enum": ["OK"]},
            "ProviderName": {"type": "string"},
            "DateTimeUTC": {"type": "string", "pattern": MS_ENVELOPE_PATTERN},
        },
    },
    "ApiError": {
        "type": "object",
        "description": "The accounting API's own error body.",
        "required": ["ErrorNumber", "Type", "Message"],
        "properties": {
            "ErrorNumber": {"type": "integer", "enum": [10, 14, 16]},
            "Type": {"type": "string",
                     "enum": ["ValidationException", "PostDataInvalidException", "QueryParseException"]},
            "Message": {"type": "string"},
            "Elements": {"type": "array", "items": {"$ref": "#/components/schemas/Element"}},
        },
    },
    "Problem": {
        "type": "object",
        "description": "The API gateway's error body (401, 403, 404, 405, 413, 429).",
        "required": ["Type", "Title", "Status", "Detail", "Instance", "Extensions"],
        "properties": {
            "Type": {"type": "string", "nullable": True},
            "Title": {"type": "string"},
            "Status": {"type": "integer"},
            "Detail": {"type": "string"},
            "Instance": {"type": "string", "format": "uuid"},
            "Extensions": {"type": "object"},
        },
    },
    "OAuthError": {
        "type": "object",
        "description": "An OAuth2 error from the identity endpoints (RFC 6749 section 5.2).",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "enum": [
                "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                "unsupported_grant_type", "invalid_scope"]},
            "error_description": {"type": "string"},
        },
    },
}


# --- identity endpoints (Xero's identity spec has only /Connections; the rest is RFC 6749) -------------

def _form(properties: dict[str, dict], required: list[str]) -> dict:
    return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


def _oauth_error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}}}


_CLIENT_FIELDS = {
    "client_id": {"type": "string"},
    "client_secret": {"type": "string"},
}
_BASIC_OR_FORM = [{"ClientBasic": []}, {}]

IDENTITY_PATHS: dict[str, dict] = {
    "/connect/token": {"post": {
        "operationId": "requestToken",
        "summary": "Issue tokens",
        "description": "Exchanges an authorization code, a refresh token (which rotates) or client "
                       "credentials for an access token. The client authenticates with HTTP Basic or with "
                       "client_id and client_secret form fields.",
        "security": _BASIC_OR_FORM,
        "requestBody": _form({
            "grant_type": {"type": "string",
                           "enum": ["authorization_code", "refresh_token", "client_credentials"]},
            "code": {"type": "string"},
            "redirect_uri": {"type": "string"},
            "refresh_token": {"type": "string"},
            "scope": {"type": "string"},
            **_CLIENT_FIELDS,
        }, ["grant_type"]),
        "responses": {
            "200": {"description": "The new tokens.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AccessToken"}}}},
            "400": _oauth_error("The grant, client or scope was refused."),
        },
    }},
    "/connect/authorize": {"get": {
        "operationId": "authorize",
        "summary": "Consent and redirect",
        "description": "The mock's one user consents at once: the answer redirects to redirect_uri with "
                       "a one-time code (or with an error the client can show).",
        "security": [],
        "parameters": [
            {"name": "response_type", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "client_id", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "redirect_uri", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "scope", "in": "query", "schema": {"type": "string"}},
            {"name": "state", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {
            "302": {"description": "Back to the client with code (or error) and state.",
                    "headers": {"Location": {"schema": {"type": "string"}}}},
            "400": _oauth_error("Unknown client or a redirect_uri that cannot be used."),
        },
    }},
    "/connect/revocation": {"post": {
        "operationId": "revokeToken",
        "summary": "Revoke a refresh token",
        "description": "Revokes the refresh token and every access token and connection of its grant.",
        "security": _BASIC_OR_FORM,
        "requestBody": _form({"token": {"type": "string"}, **_CLIENT_FIELDS}, ["token"]),
        "responses": {
            "200": {"description": "Revoked (also when the token was unknown)."},
            "400": _oauth_error("The client did not authenticate."),
        },
    }},
    "/connections": {"get": {
        "operationId": "getConnections",
        "summary": "List the token's tenant connections",
        "description": "Every organisation the token's grant is connected to, optionally only those "
                       "of one authorisation event.",
        "security": [{"OAuth2": []}],
        "parameters": [{"name": "authEventId", "in": "query", "schema": {"type": "string", "format": "uuid"}}],
        "responses": {
            "200": {"description": "The connections.",
                    "content": {"application/json": {"schema": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Connection"}}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"},
        },
    }},
    "/connections/{id}": {"delete": {
        "operationId": "deleteConnection",
        "summary": "Disconnect one tenant",
        "description": "Removes one of the token's connections; its tokens can no longer reach that tenant.",
        "security": [{"OAuth2": []}],
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "string", "format": "uuid"}}],
        "responses": {
            "204": {"description": "Disconnected."},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "404": {"$ref": "#/components/responses/NotFound"},
        },
    }},
}

# Identity components taken from Xero's identity spec (structure only).
IDENTITY_COMPONENTS = ("Connection", "AccessToken")
IDENTITY_EXTRA_PROPERTIES = {
    # The mock also returns the granted scopes, as Xero's token endpoint does (RFC 6749 section 5.1).
    "AccessToken": {"scope": {"type": "string"}},
}
# Xero's spec calls the connection dates ``date-time``, but its own example (and the real service) writes
# them without an offset and with seven fractional digits, as the mock does.
ISO7_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$"
IDENTITY_PROPERTY_OVERRIDES = {
    "Connection": {
        "createdDateUtc": {"type": "string", "pattern": ISO7_PATTERN},
        "updatedDateUtc": {"type": "string", "pattern": ISO7_PATTERN},
    },
}
IDENTITY_REQUIRED = {
    "AccessToken": ["access_token", "expires_in", "token_type"],
    "Connection": ["id", "tenantId", "tenantType", "tenantName", "createdDateUtc", "updatedDateUtc"],
}


# --- copying Xero's structure without its words -------------------------------------------------------

# Schema keywords that carry structure. Anything else (description, example, x-example-*, x-snake, ...)
# is dropped, which is how none of Xero's prose reaches the output.
SCHEMA_KEYWORDS = frozenset({
    "type", "format", "enum", "items", "properties", "required", "$ref", "allOf", "oneOf", "anyOf",
    "maxLength", "minLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern",
    "readOnly", "writeOnly", "nullable", "default", "additionalProperties", "minItems", "maxItems",
    "x-is-money", "x-is-msdate", "x-is-msdate-time",
})
PARAMETER_KEYWORDS = ("name", "in", "required", "style", "explode")


def clean_schema(node: Any) -> Any:
    """A copy of a schema with structure only, and with dates in the forms the mock reads and writes."""
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    if "$ref" in node:  # OpenAPI 3.0 ignores a $ref's siblings; so do we
        return {"$ref": node["$ref"]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in SCHEMA_KEYWORDS:
            continue
        if key == "properties":
            out[key] = {name: clean_schema(prop) for name, prop in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = clean_schema(value)
        elif key in ("allOf", "oneOf", "anyOf"):
            out[key] = [clean_schema(item) for item in value]
        elif key == "default":
            out[key] = _typed_default(value, node.get("type"))
        else:
            out[key] = copy.deepcopy(value)
    if out.get("x-is-msdate") or out.get("x-is-msdate-time"):
        out = date_schema(out, read_only=bool(out.get("readOnly")))
    return out


def _typed_default(value: Any, type_name: str | None) -> Any:
    # Xero writes boolean defaults as the strings "false"/"true", which a validator would reject.
    if type_name == "boolean" and isinstance(value, str):
        return value.strip().lower() == "true"
    return value


def date_schema(base: dict, *, read_only: bool) -> dict:
    """Answers carry ``/Date(ms+0000)/``; requests may also use ISO dates or date-times."""
    out = {k: v for k, v in base.items() if k not in ("format", "pattern", "anyOf")}
    out["type"] = "string"
    if read_only:
        out["pattern"] = MS_DATE_PATTERN
    else:
        out["anyOf"] = [{"format": "date"}, {"format": "date-time"}, {"pattern": MS_DATE_PATTERN}]
    return out


def clean_parameter(param: dict, text: str | None) -> dict:
    out = {key: copy.deepcopy(param[key]) for key in PARAMETER_KEYWORDS if key in param}
    if text:
        out["description"] = text
    out["schema"] = clean_schema(param.get("schema", {"type": "string"}))
    return out


def iter_refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from iter_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from iter_refs(item)


# --- marshmallow → what the mock really reads ----------------------------------------------------------

def load_marshmallow(spec: str):
    """``"module:Class"`` → an instance of that marshmallow schema."""
    module_name, _, class_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), class_name)()


def refine_with_field(prop: dict | None, ma_field: ma_fields.Field) -> dict:
    """Xero's property definition, corrected to what the mock's marshmallow field accepts and writes."""
    from mockxero.schemas import fields as xf

    prop = copy.deepcopy(prop) if prop else {}
    if isinstance(ma_field, xf.Choice):
        prop = {k: v for k, v in prop.items() if k not in ("$ref", "enum", "format")}
        prop.update(type="string", enum=list(ma_field.choices))
    elif isinstance(ma_field, xf.Guid):
        prop = {"type": "string", "format": "uuid"}
    elif isinstance(ma_field, xf.Money):
        prop = {"type": "number", "format": "double", "x-is-money": True}
    elif isinstance(ma_field, (xf.XeroDate, xf.XeroDateTime)):
        flag = "x-is-msdate" if isinstance(ma_field, xf.XeroDate) else "x-is-msdate-time"
        prop = date_schema({flag: True}, read_only=bool(ma_field.dump_only))
    elif isinstance(ma_field, xf.IsoDateString):
        prop = {"type": "string"}
    elif isinstance(ma_field, xf.Text):
        # The mock reads any string here (rules, if any, are the backend's): no enum, keep Xero's length.
        limit = prop.get("maxLength")
        prop = {"type": "string"}
        if limit is not None:
            prop["maxLength"] = limit
    elif isinstance(ma_field, ma_fields.Boolean):
        prop = {"type": "boolean"}
    elif isinstance(ma_field, ma_fields.Integer):
        prop = {"type": "integer"}
    elif isinstance(ma_field, (ma_fields.Nested, ma_fields.List, ma_fields.Dict)):
        if not prop:
            prop = _shape_of(ma_field)
    if ma_field.dump_only:
        prop["readOnly"] = True
    else:
        prop.pop("readOnly", None)
    return prop


def _shape_of(ma_field: ma_fields.Field) -> dict:
    if isinstance(ma_field, ma_fields.List):
        return {"type": "array", "items": _shape_of(ma_field.inner)}
    if isinstance(ma_field, ma_fields.Nested):
        nested = ma_field.schema
        return {"type": "object",
                "properties": {name: refine_with_field(None, f) for name, f in nested.fields.items()}}
    return {"type": "object"}


def trim_component(xero_schema: dict, marshmallow_schemas: list, rules: dict[str, dict]) -> dict:
    """Keep the properties the mock's schemas declare, refined by their field types, and close the object.

    The first schema is the one that reads the component; the others only render it inside other answers,
    so a field only they declare is read-only.
    """
    xero_props = xero_schema.get("properties", {})
    props: dict[str, dict] = {}
    for position, marshmallow_schema in enumerate(marshmallow_schemas):
        for name, ma_field in marshmallow_schema.fields.items():
            wire = ma_field.data_key or name
            if wire in props:
                continue
            xero_prop = clean_schema(xero_props[wire]) if wire in xero_props else None
            props[wire] = refine_with_field(xero_prop, ma_field)
            if position > 0:
                props[wire]["readOnly"] = True
    for wire in BATCH_ELEMENT_FIELDS:
        if wire in xero_props and wire not in props:
            props[wire] = {**clean_schema(xero_props[wire]), "readOnly": True}
    for wire, constraints in rules.items():
        if wire not in props:
            raise ValueError(f"a business rule names {wire}, which the mock's schemas do not declare")
        props[wire].update(copy.deepcopy(constraints))
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    required = [name for name in xero_schema.get("required", []) if name in props]
    if required:
        out["required"] = required
    return out


# --- the builder ---------------------------------------------------------------------------------------

class ContractBuilder:
    def __init__(self, accounting: dict, identity: dict):
        self.xero = accounting
        self.identity = identity
        self.by_id: dict[str, tuple[str, str, dict, list]] = {}
        for path, item in accounting["paths"].items():
            shared = item.get("parameters", [])
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    self.by_id[operation["operationId"]] = (path, method, operation, shared)
        self.schemas: dict[str, dict] = {}
        self.parameters: dict[str, dict] = {}
        self.rules = business_rules()

    # -- components --

    def _resolve_refs(self, node: Any) -> None:
        """Copy every component ``node`` references, transitively."""
        pending = list(iter_refs(node))
        while pending:
            ref = pending.pop()
            _, _, kind, name = ref.split("/")
            if kind == "schemas" and name not in self.schemas:
                self.schemas[name] = self._component_schema(name)
                pending.extend(iter_refs(self.schemas[name]))
            elif kind == "parameters" and name not in self.parameters:
                self.parameters[name] = self._component_parameter(name)
                pending.extend(iter_refs(self.parameters[name]))

    def _component_schema(self, name: str) -> dict:
        if name in OWN_SCHEMAS:
            return copy.deepcopy(OWN_SCHEMAS[name])
        xero_schema = self.xero["components"]["schemas"][name]
        if name in COMPONENT_SCHEMAS:
            marshmallow_schemas = [load_marshmallow(spec) for spec in COMPONENT_SCHEMAS[name]]
            return trim_component(xero_schema, marshmallow_schemas, self.rules.get(name, {}))
        return clean_schema(xero_schema)

    def _component_parameter(self, name: str) -> dict:
        param = self.xero["components"]["parameters"][name]
        out = clean_parameter(param, PARAMETER_TEXT.get(param["name"]))
        if param["name"] == "xero-tenant-id":
            out["schema"] = {"type": "string", "format": "uuid"}
        return out

    # -- operations --

    def _parameters(self, op: Op, xero_params: list[dict]) -> list[dict]:
        out = []
        for param in xero_params:
            if "$ref" in param:
                out.append({"$ref": param["$ref"]})
                continue
            cleaned = clean_parameter(param, PARAMETER_TEXT.get(param["name"]))
            if param["name"] in op.path_params:
                cleaned["schema"] = copy.deepcopy(op.path_params[param["name"]])
            out.append(cleaned)
        return out

    def _request_body(self, op: Op, operation: dict) -> dict | None:
        body = operation.get("requestBody")
        if body is None:
            return None
        schema = body["content"]["application/json"]["schema"]
        collection = self._collection_of(schema)
        if collection is not None:
            name, items = collection
            if op.require:
                items = {"allOf": [items], "required": list(op.require)}
            # Xero's batch wrapper; the mock refuses a wrapper without elements.
            schema = {"type": "object", "required": [name], "additionalProperties": False, "properties": {
                name: {"type": "array", "minItems": 1, "items": items}}}
        else:
            schema = clean_schema(schema)
            if op.require:
                schema = {"allOf": [schema], "required": list(op.require)}
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    def _collection_of(self, schema: dict) -> tuple[str, dict] | None:
        """For an envelope component (``Contacts``): its array property's name and item schema."""
        ref = schema.get("$ref", "")
        if not ref.startswith("#/components/schemas/"):
            return None
        component = self.xero["components"]["schemas"][ref.rsplit("/", 1)[1]]
        arrays = [(name, prop) for name, prop in component.get("properties", {}).items()
                  if prop.get("type") == "array" and name != "Warnings"]
        if len(arrays) != 1:
            return None
        name, prop = arrays[0]
        return name, clean_schema(prop["items"])

    def _success(self, operation: dict) -> tuple[str, dict]:
        for code in ("200", "201", "204"):
            if code in operation["responses"]:
                response = operation["responses"][code]
                break
        else:
            raise ValueError(f"{operation['operationId']} has no success response in Xero's spec")
        if "content" not in response:
            return code, {"description": "Done; no body."}
        schema = response["content"]["application/json"]["schema"]
        collection = self._collection_of(schema)
        if collection is not None:
            wrapper = schema["$ref"].rsplit("/", 1)[1]
            self.schemas.setdefault(wrapper, self._component_schema(wrapper))
            name = collection[0]
            answer = f"{wrapper}Answer"
            self.schemas[answer] = {
                "allOf": [{"$ref": "#/components/schemas/Envelope"}, {"$ref": f"#/components/schemas/{wrapper}"}],
                "required": [name],
            }
            schema = {"$ref": f"#/components/schemas/{answer}"}
        else:
            schema = clean_schema(schema)
        return code, {"description": "Success.", "content": {"application/json": {"schema": schema}}}

    def operation(self, op: Op) -> tuple[str, str, dict]:
        path, method, xero_op, shared = self.by_id[op.operation_id]
        params = self._parameters(op, list(shared) + list(xero_op.get("parameters", [])))
        body = self._request_body(op, xero_op)
        code, success = self._success(xero_op)
        if op.links:
            success["links"] = copy.deepcopy(op.links)
        responses: dict[str, Any] = {code: success}
        has_path_id = any(p.get("in") == "path" for p in params if "$ref" not in p) or "{" in path
        if body is not None:
            responses["400"] = {"$ref": "#/components/responses/BadRequest"}
        responses["401"] = {"$ref": "#/components/responses/Unauthorized"}
        responses["403"] = {"$ref": "#/components/responses/Forbidden"}
        if has_path_id:
            responses["404"] = {"$ref": "#/components/responses/NotFound"}
        if body is not None:
            responses["413"] = {"$ref": "#/components/responses/PayloadTooLarge"}
        out: dict[str, Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
        }
        if op.description:
            out["description"] = op.description
        if op.also:
            out["x-xero-operations"] = [op.operation_id, *op.also]
        out["tags"] = [_tag_for(API + path)]
        out["security"] = copy.deepcopy(xero_op.get("security", []))
        out["parameters"] = params
        if body is not None:
            out["requestBody"] = body
        out["responses"] = dict(sorted(responses.items()))
        return API + path, method, out

    # -- the whole document --

    def build(self, operations: Iterable[Op] = OPERATIONS) -> dict:
        paths: dict[str, dict] = {}
        for op in operations:
            path, method, operation = self.operation(op)
            paths.setdefault(path, {})[method] = operation
        for path, item in IDENTITY_PATHS.items():
            paths[path] = copy.deepcopy(item)
        for name in OWN_SCHEMAS:
            self.schemas.setdefault(name, copy.deepcopy(OWN_SCHEMAS[name]))
        self._add_identity_components()
        self._resolve_refs(paths)
        self._resolve_refs(ERROR_RESPONSES)
        self._resolve_refs(self.schemas)
        self._check_refs([paths, self.schemas, self.parameters, ERROR_RESPONSES])
        document = {
            "openapi": "3.0.3",
            "info": {
                "title": "mockxero: emulated Xero Accounting API",
                "version": self.xero["info"]["version"],
                "description": INFO_DESCRIPTION,
                "license": {"name": "MIT (structure derived from XeroAPI/Xero-OpenAPI)",
                            "url": "https://github.com/XeroAPI/Xero-OpenAPI/blob/master/LICENSE"},
            },
            "servers": [{"url": "/", "description": "The emulator itself (any host it is served on)."}],
            "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
            "paths": dict(sorted(paths.items(), key=lambda kv: (not kv[0].startswith(API), kv[0]))),
            "components": {
                "securitySchemes": SECURITY_SCHEMES,
                "parameters": dict(sorted(self.parameters.items())),
                "responses": copy.deepcopy(ERROR_RESPONSES),
                "schemas": dict(sorted(self.schemas.items())),
            },
        }
        return document

    def _add_identity_components(self) -> None:
        source = self.identity["components"]["schemas"]
        for name in IDENTITY_COMPONENTS:
            schema = clean_schema(source[name])
            schema["type"] = "object"
            schema.setdefault("properties", {}).update(copy.deepcopy(IDENTITY_EXTRA_PROPERTIES.get(name, {})))
            schema["properties"].update(copy.deepcopy(IDENTITY_PROPERTY_OVERRIDES.get(name, {})))
            if name in IDENTITY_REQUIRED:
                schema["required"] = list(IDENTITY_REQUIRED[name])
            self.schemas[name] = schema

    def _check_refs(self, node: Any) -> None:
        for ref in iter_refs(node):
            _, _, kind, name = ref.split("/")
            known = {"schemas": self.schemas, "parameters": self.parameters, "responses": ERROR_RESPONSES}
            if name not in known.get(kind, {}):
                raise ValueError(f"unresolved reference {ref}")


INFO_DESCRIPTION = """\
The part of Xero's Accounting API that mockxero emulates, with the identity endpoints it serves from the
same host. Generated by `python3 -m contracts.build` from Xero's official OpenAPI spec (structure only;
see contracts/README.md); the text is ours.

What this contract states beyond Xero's spec, because it is what the mock does:
- accounting calls need `Authorization: Bearer <token>` from /connect/token and a `xero-tenant-id` the
  token is connected to;
- answers are JSON when the client accepts JSON, otherwise XML as in Xero (this contract describes the
  JSON form);
- dates are written `/Date(ms+0000)/` and read in that form, as ISO dates or as ISO date-times;
- money is an exact decimal number;
- a batch body names its collection and holds at least one element;
- errors: 400 bodies are Xero's `{ErrorNumber, Type, Message, Elements}`; 401, 403, 404, 405 and 413 are
  the gateway's problem bodies. Any method a path does not list answers 405.
"""

SECURITY_SCHEMES = {
    "OAuth2": {
        "type": "oauth2",
        "description": "Bearer access tokens issued by /connect/token.",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "/connect/authorize",
                "tokenUrl": "/connect/token",
                "refreshUrl": "/connect/token",
                "scopes": {
                    "accounting.settings": "Read and change settings: accounts, tax rates, items, currencies.",
                    "accounting.settings.read": "Read settings.",
                    "accounting.contacts": "Read and change contacts.",
                    "accounting.contacts.read": "Read contacts.",
                    "accounting.transactions": "Read and change invoices, credit notes, payments and bank "
                                               "transactions.",
                    "accounting.transactions.read": "Read transactions.",
                    "accounting.journals.read": "Read journals.",
                    "accounting.reports.read": "Read reports.",
                    "offline_access": "Receive a refresh token.",
                },
            },
            "clientCredentials": {
                "tokenUrl": "/connect/token",
                "scopes": {},
            },
        },
    },
    "ClientBasic": {
        "type": "http",
        "scheme": "basic",
        "description": "client_id and client_secret as HTTP Basic credentials.",
    },
}

HEADER = """\
# GENERATED by `python3 -m contracts.build` -- do not edit by hand.
# Structure derived from XeroAPI/Xero-OpenAPI (MIT, Copyright (c) 2017 Xero Developer API; see
# contracts/LICENSE-Xero-OpenAPI); descriptions are mockxero's own.
"""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None  # multi-line prose stays readable as a block
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def render(document: dict) -> str:
    class _Dumper(yaml.SafeDumper):
        pass

    # Never emit YAML anchors/aliases: shared dicts are written out in full, which keeps the file greppable.
    _Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]
    _Dumper.add_representer(str, _represent_text)
    return HEADER + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


# libyaml's loader reads Xero's 900 kB spec in a fraction of the pure-Python loader's time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=2)
def load_reference(directory: Path) -> tuple[dict, dict]:
    """Xero's accounting and identity specs (parsed once per process; treat them as read-only)."""
    accounting = directory / "xero_accounting.yaml"
    identity = directory / "xero-identity.yaml"
    for path in (accounting, identity):
        if not path.is_file():
            raise FileNotFoundError(
                f"Xero's spec is not at {path}; pass --reference DIR or set ${REFERENCE_ENV}")
    with accounting.open(encoding="utf-8") as a, identity.open(encoding="utf-8") as i:
        return yaml.load(a, Loader=_Loader), yaml.load(i, Loader=_Loader)


def build_text(reference: Path | None = None) -> str:
    accounting, identity = load_reference(reference or default_reference_dir())
    return render(ContractBuilder(accounting, identity).build())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m contracts.build", description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=None,
                        help=f"folder holding xero_accounting.yaml and xero-identity.yaml "
                             f"(default: ${REFERENCE_ENV} or ../shared/reference)")
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args(argv)
    try:
        text = build_text(args.reference)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run `python3 -m contracts.build`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
