"""The builder: every catalogued operation with its parameters, bodies, answers, errors and links."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from ..paths import API_PREFIX
from . import catalogue
from .catalogue import Op
from .components import Components, nested_classes
from .schema import SCHEMAS, clean_parameter, clean_schema, iter_refs, load_object, ref_name, schema_instance

API = API_PREFIX
WRITE_METHODS = ("put", "post", "delete", "patch")


# --- the builder ---------------------------------------------------------------------------------------


class ContractBuilder:
    def __init__(self, accounting: dict, identity: dict, operations: Iterable[Op] = catalogue.OPERATIONS):
        self.xero = accounting
        self.identity = identity
        self.operations = tuple(operations)
        self.by_id: dict[str, tuple[str, str, dict, list]] = {}
        for path, item in accounting["paths"].items():
            shared = item.get("parameters", [])
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    self.by_id[operation["operationId"]] = (path, method, operation, shared)
        writable: set[type] = set()
        for op in self.operations:
            spec = op.request_schema or op.schema
            if (
                spec
                and spec != catalogue.XERO
                and op.custom is None
                and "requestBody" in self.by_id[op.operation_id][2]
            ):
                nested_classes(schema_instance(spec), writable)
        self.components = Components(accounting["components"]["schemas"], writable)
        self.parameters: dict[str, dict] = {}

    # -- parameters --

    def _supported(self, op: Op, method: str) -> set[str]:
        """Names of the query/header parameters the view reads (besides path parameters)."""
        names = {"xero-tenant-id", *op.query}
        if method in WRITE_METHODS:
            names |= {"Idempotency-Key", "summarizeErrors"}
        if op.listing:
            listing = load_object(op.listing)
            names |= {"where", "order"}
            if listing.modified_field:
                names.add("If-Modified-Since")
            if listing.paged:
                names |= {"page", "pageSize"}
            names |= {lookup.param for lookup in listing.lookups}
            names |= {hidden.param for hidden in listing.hidden}
            if listing.search:
                names.add("searchTerm")
            if listing.created_by_my_app:
                names.add("createdByMyApp")
        return names

    def _parameters(self, op: Op, method: str, xero_params: list[dict]) -> list[dict]:
        supported = self._supported(op, method)
        out, seen = [], set()
        for param in xero_params:
            resolved = self._resolve_parameter(param)
            name = resolved["name"]
            if resolved["in"] != "path" and name not in supported:
                continue
            seen.add(name)
            if "$ref" in param:
                out.append({"$ref": param["$ref"]})
                continue
            cleaned = clean_parameter(param)
            if name in op.path_params:
                cleaned["schema"] = copy.deepcopy(op.path_params[name])
            out.append(cleaned)
        # The mock reads the key on every write, even where Xero's spec does not list it (DELETE).
        if method in WRITE_METHODS and "Idempotency-Key" not in seen:
            out.append({"$ref": "#/components/parameters/idempotencyKey"})
            seen.add("Idempotency-Key")
        for name in sorted(supported - seen):
            if name in catalogue.OWN_PARAMETERS:
                out.append(copy.deepcopy(catalogue.OWN_PARAMETERS[name]))
                seen.add(name)
        missing = supported - seen - {"summarizeErrors"}
        if missing:
            raise ValueError(f"{op.operation_id}: Xero's spec has no parameter {sorted(missing)} to copy")
        return out

    def _resolve_parameter(self, param: dict) -> dict:
        if "$ref" in param:
            return self.xero["components"]["parameters"][ref_name(param["$ref"])]
        return param

    def _component_parameter(self, name: str) -> dict:
        param = self.xero["components"]["parameters"][name]
        out = clean_parameter(param)
        if param["name"] == "xero-tenant-id":
            out["schema"] = {"type": "string", "format": "uuid"}
        if param["name"] == "Idempotency-Key":
            out["schema"]["maxLength"] = 128
        return out

    # -- bodies and answers --

    def _collection_of(self, schema: dict) -> tuple[str, str] | None:
        """For an envelope component (``Contacts``): its array property's name and its items' component."""
        ref = schema.get("$ref", "")
        if not ref.startswith(SCHEMAS):
            return None
        component = self.xero["components"]["schemas"][ref_name(ref)]
        # An envelope holds one array and nothing else but paging and warnings (an Account, which has a
        # ValidationErrors array among its fields, is not one).
        props = {
            name: prop
            for name, prop in component.get("properties", {}).items()
            if name not in ("pagination", "Warnings")
        }
        if len(props) != 1:
            return None
        ((name, prop),) = props.items()
        if prop.get("type") != "array" or "$ref" not in prop.get("items", {}):
            return None
        return name, ref_name(prop["items"]["$ref"])

    def _item_schema(self, xero_component: str, spec: str | None) -> dict:
        if spec is None or spec == catalogue.XERO:
            return {"$ref": SCHEMAS + xero_component}
        return {"$ref": SCHEMAS + self.components.paired(xero_component, schema_instance(spec))}

    def _request_body(self, op: Op, operation: dict) -> dict | None:
        body = operation.get("requestBody")
        if body is None:
            return None
        xero_schema = body["content"]["application/json"]["schema"]
        spec = op.request_schema or op.schema
        collection = self._collection_of(xero_schema)
        if collection is not None:
            name, item_component = collection
            items = self._item_schema(item_component, spec)
            if spec not in (None, catalogue.XERO):
                self.components.add_batch_fields(ref_name(items["$ref"]))
            if op.require:
                items = {"allOf": [items], "required": list(op.require)}
            # Xero's batch wrapper; the mock refuses a wrapper without elements.
            schema = {
                "type": "object",
                "required": [name],
                "additionalProperties": False,
                "properties": {name: {"type": "array", "minItems": 1, "items": items}},
            }
        elif "$ref" in xero_schema:
            schema = self._item_schema(ref_name(xero_schema["$ref"]), spec)
            if op.require:
                schema = {"allOf": [schema], "required": list(op.require)}
        else:
            schema = clean_schema(xero_schema)
        content: dict[str, Any] = {"schema": schema}
        if op.example is not None:
            content["example"] = copy.deepcopy(op.example)
        return {"required": True, "content": {"application/json": content}}

    def _success(self, op: Op, operation: dict, method: str) -> tuple[str, dict]:
        code = next(c for c in ("200", "201", "204") if c in operation["responses"])
        response = operation["responses"][code]
        headers = {name: {"$ref": f"#/components/headers/{name}"} for name in catalogue.RATE_HEADERS}
        if method in WRITE_METHODS:
            headers["Idempotent-Replayed"] = {"$ref": "#/components/headers/Idempotent-Replayed"}
        if "content" not in response:
            return code, {"description": "Done; no body.", "headers": headers}
        xero_schema = response["content"]["application/json"]["schema"]
        collection = self._collection_of(xero_schema)
        if collection is None and "$ref" in xero_schema and op.schema is not None:
            schema = self._item_schema(ref_name(xero_schema["$ref"]), op.schema)  # a bare object answer
        elif collection is None:
            schema = clean_schema(xero_schema)
        else:
            name, item_component = collection
            wrapper = ref_name(xero_schema["$ref"])
            items = self._item_schema(item_component, op.schema)
            if (
                op.schema is not None
                and "requestBody" in operation
                and self._collection_of(operation["requestBody"]["content"]["application/json"]["schema"]) is not None
            ):
                self.components.add_batch_fields(ref_name(items["$ref"]))
            answer = f"{wrapper}Answer"
            self.components.out[answer] = {
                "allOf": [
                    {"$ref": SCHEMAS + "Envelope"},
                    {
                        "type": "object",
                        "required": [name],
                        "properties": {
                            name: {"type": "array", "items": items},
                            "pagination": {"$ref": SCHEMAS + "Pagination"},
                            "Warnings": {"type": "array", "items": {"$ref": SCHEMAS + "ValidationError"}},
                        },
                    },
                ]
            }
            schema = {"$ref": SCHEMAS + answer}
        return code, {
            "description": "Success.",
            "headers": headers,
            "content": {"application/json": {"schema": schema}},
        }

    # -- operations --

    def operation(self, op: Op) -> tuple[str, str, dict]:
        if op.custom is not None:
            return self._custom_operation(op)
        path, method, xero_op, shared = self.by_id[op.operation_id]
        params = self._parameters(op, method, list(shared) + list(xero_op.get("parameters", [])))
        body = self._request_body(op, xero_op)
        code, success = self._success(op, xero_op, method)
        if op.links:
            success["links"] = copy.deepcopy(op.links)
        kept = {self._resolve_parameter(p)["name"] for p in params}
        parses_query = any(name in catalogue.UNPARSEABLE_QUERY for name in kept)
        responses = self._errors(
            method,
            has_body=body is not None,
            has_path_id="{" in path,
            bad_request=body is not None or parses_query or method in WRITE_METHODS,
        )
        for status in op.errors:
            responses[status] = {"$ref": f"#/components/responses/{ERROR_NAMES[status]}"}
        responses[code] = success
        out: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary}
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

    def _custom_operation(self, op: Op) -> tuple[str, str, dict]:
        method, path, scope, status, text = op.custom  # type: ignore[misc]
        method = method.lower()
        responses = self._errors(method, has_body=False, has_path_id=False, bad_request=True)
        responses[status] = (
            {"$ref": "#/components/responses/NotImplemented"} if status == "501" else {"description": text}
        )
        out = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "description": text,
            "tags": [_tag_for(API + path)],
            "security": [{"OAuth2": [scope]}],
            "parameters": [
                {"$ref": "#/components/parameters/requiredHeader"},
                {"$ref": "#/components/parameters/idempotencyKey"},
            ],
            "responses": dict(sorted(responses.items())),
        }
        return API + path, method, out

    @staticmethod
    def _errors(method: str, *, has_body: bool, has_path_id: bool, bad_request: bool) -> dict:
        def ref(name: str) -> dict:
            return {"$ref": f"#/components/responses/{name}"}

        responses = {"401": ref("Unauthorized"), "403": ref("Forbidden"), "429": ref("TooManyRequests")}
        if bad_request:
            responses["400"] = ref("BadRequest")
        if has_path_id:
            responses["404"] = ref("NotFound")
        if has_body:
            responses["413"] = ref("PayloadTooLarge")
        if method in WRITE_METHODS:  # the key is checked before the view runs, whatever it would answer
            responses["422"] = ref("IdempotencyKeyReused")
        return responses

    # -- the whole document --

    def _reserve_resource_names(self) -> None:
        for op in self.operations:
            if op.custom is not None or op.schema is None:
                continue
            _, _, xero_op, _ = self.by_id[op.operation_id]
            code = next(c for c in ("200", "201", "204") if c in xero_op["responses"])
            content = xero_op["responses"][code].get("content", {}).get("application/json")
            if content is None:
                continue
            collection = self._collection_of(content["schema"])
            xero_name = collection[1] if collection else ref_name(content["schema"].get("$ref", "#/x/y/"))
            self.components.reserve(xero_name or None, schema_instance(op.schema))

    def build(self) -> dict:
        self._reserve_resource_names()
        paths: dict[str, dict] = {}
        for op in self.operations:
            path, method, operation = self.operation(op)
            placed = [(path, operation)]
            for alias, alias_id in op.aliases.items():
                copied = copy.deepcopy(operation)
                copied["operationId"] = alias_id
                copied["description"] = f"The same operation as {path[len(API) :]}, at the path pyxero asks for."
                copied.get("responses", {}).get("200", {}).pop("links", None)
                placed.append((API + alias, copied))
            for where, what in placed:
                if method in paths.get(where, {}):
                    raise ValueError(f"two operations for {method.upper()} {where}")
                paths.setdefault(where, {})[method] = what
        for path, item in catalogue.IDENTITY_PATHS.items():
            paths[path] = copy.deepcopy(item)
        schemas = self.components.out
        for name, schema in catalogue.OWN_SCHEMAS.items():
            schemas.setdefault(name, copy.deepcopy(schema))
        self._add_identity_components(schemas)
        self._close_over_refs([paths, catalogue.ERROR_RESPONSES, catalogue.HEADERS])
        self._check_refs([paths, schemas, self.parameters, catalogue.ERROR_RESPONSES])
        return {
            "openapi": "3.0.3",
            "info": {
                "title": "mockxero: emulated Xero Accounting API",
                "version": self.xero["info"]["version"],
                "description": catalogue.INFO_DESCRIPTION,
                "license": {
                    "name": "MIT (structure derived from XeroAPI/Xero-OpenAPI)",
                    "url": "https://github.com/XeroAPI/Xero-OpenAPI/blob/master/LICENSE",
                },
            },
            "servers": [{"url": "/", "description": "The emulator itself (any host it is served on)."}],
            "tags": [{"name": name, "description": text} for name, text in catalogue.TAGS.items()],
            "paths": dict(sorted(paths.items(), key=lambda kv: (not kv[0].startswith(API), kv[0]))),
            "components": {
                "securitySchemes": copy.deepcopy(catalogue.SECURITY_SCHEMES),
                "parameters": dict(sorted(self.parameters.items())),
                "headers": copy.deepcopy(catalogue.HEADERS),
                "responses": copy.deepcopy(catalogue.ERROR_RESPONSES),
                "schemas": dict(sorted(schemas.items())),
            },
        }

    def _close_over_refs(self, roots: list) -> None:
        """Copy every component the document references that is not there yet, transitively."""
        schemas = self.components.out
        pending = list(iter_refs(roots)) + list(iter_refs(list(schemas.values())))
        while pending:
            ref = pending.pop()
            _, _, kind, name = ref.split("/")
            if kind == "schemas" and name not in schemas:
                schemas[name] = clean_schema(self.xero["components"]["schemas"][name])
                pending.extend(iter_refs(schemas[name]))
            elif kind == "parameters" and name not in self.parameters:
                self.parameters[name] = self._component_parameter(name)
                pending.extend(iter_refs(self.parameters[name]))

    def _add_identity_components(self, schemas: dict) -> None:
        source = self.identity["components"]["schemas"]
        for name in catalogue.IDENTITY_COMPONENTS:
            schema = clean_schema(source[name])
            schema["type"] = "object"
            props = schema.setdefault("properties", {})
            props.update(copy.deepcopy(catalogue.IDENTITY_EXTRA_PROPERTIES.get(name, {})))
            props.update(copy.deepcopy(catalogue.IDENTITY_PROPERTY_OVERRIDES.get(name, {})))
            if name in catalogue.IDENTITY_REQUIRED:
                schema["required"] = list(catalogue.IDENTITY_REQUIRED[name])
            schemas[name] = schema

    def _check_refs(self, node: Any) -> None:
        known = {
            "schemas": self.components.out,
            "parameters": self.parameters,
            "responses": catalogue.ERROR_RESPONSES,
            "headers": catalogue.HEADERS,
        }
        for ref in iter_refs(node):
            _, _, kind, name = ref.split("/")
            if name not in known.get(kind, {}):
                raise ValueError(f"unresolved reference {ref}")


ERROR_NAMES = {"400": "BadRequest", "404": "NotFound"}


def _tag_for(path: str) -> str:
    return path[len(API) + 1 :].split("/")[0]
