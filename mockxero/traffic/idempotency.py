"""``Idempotency-Key`` on the accounting API's writes.

Xero accepts the header on every PUT/POST (128 characters at most) so a client can retry safely; what it
does on a replay is undocumented, so the rules below are ours (see the README's fidelity table):

* A key belongs to one app client and one tenant: another app, or another tenant, may use the same text.
* The first processed answer to a key is stored, in the same store transaction as the write it made, so
  the answer and the write are both kept or both lost. Answers with status 5xx are not stored, nor are
  calls that never reached the API (refused by a rate limit, cut off by an injected fault).
* The same key with the same request (method, path, query and JSON body, compared after parsing, so key
  order and spacing do not matter but ``1.0`` and ``1.00`` do) within ``idempotency_ttl`` seconds of the
  first answer replays that answer — status, body and headers — without running the request again, and
  marks it with ``Idempotent-Replayed: true``.
* The same key with a different request is refused with 422 (the IETF idempotency-key draft's choice).
* After the window the key is forgotten and the next request with it runs afresh.

Stored answers live in the tenant's ``IdempotencyKeys`` table, so they survive restarts with a data file,
are wiped with the tenant's books and travel in its snapshots.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import Response
from werkzeug.datastructures import Headers

from .. import wire
from ..clock import Clock
from ..exceptions import BadRequest, UnprocessableEntity
from ..store import Store, table_name

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 128
KIND = "IdempotencyKeys"
WRITE_METHODS = frozenset({"PUT", "POST", "DELETE", "PATCH"})

# Headers that describe one delivery rather than the answer; a replay gets fresh ones.
_NOT_STORED = frozenset(
    {
        "content-length",
        "date",
        "retry-after",
        "x-rate-limit-problem",
        "x-daylimit-remaining",
        "x-minlimit-remaining",
        "x-appminlimit-remaining",
    }
)
# Expired keys are swept at most this often per tenant (emulator time), so sweeping stays off the hot path.
_SWEEP_EVERY = timedelta(hours=1)


def read_key(headers: Mapping[str, str] | Headers) -> str | None:
    """The request's key, if it sent one. A blank header counts as no key."""
    key = headers.get(HEADER)
    if key is None or not key.strip():
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise BadRequest(
            f"The Idempotency-Key header must be at most {MAX_KEY_LENGTH} characters long (got {len(key)})"
        )
    return key


def fingerprint(method: str, path: str, query: Iterable[tuple[str, str]], body: bytes) -> str:
    """What makes two requests "the same request" for one key."""
    digest = hashlib.sha256()
    digest.update(method.upper().encode())
    digest.update(b"\0" + path.encode())
    for name, value in sorted(query):
        digest.update(b"\0" + name.encode() + b"=" + value.encode())
    digest.update(b"\0" + _canonical_body(body))
    return digest.hexdigest()


def _canonical_body(body: bytes) -> bytes:
    try:
        parsed = wire.loads(body)
    except (ValueError, UnicodeDecodeError):
        return b"raw:" + body  # not JSON: only the very same bytes are the same request
    return b"json:" + wire.dumps(_sorted(parsed)).encode()


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


class IdempotencyKeys:
    def __init__(self, store: Store, clock: Clock, ttl_seconds: int):
        self.store = store
        self.clock = clock
        self.ttl = timedelta(seconds=ttl_seconds)
        self._next_sweep: dict[str, datetime] = {}

    @staticmethod
    def _record_key(client_id: str, key: str) -> str:
        return f"{client_id}/{key}"  # client ids never contain "/", so this cannot collide

    def lookup(self, tenant_id: str, client_id: str, key: str, request_print: str) -> dict | None:
        """The stored answer to replay, ``None`` to run the request, or 422 if the key was used otherwise."""
        record = self.store.get(table_name(tenant_id, KIND), self._record_key(client_id, key))
        if record is None or record["ExpiresAt"] <= self.clock.now():
            return None
        if record["Fingerprint"] != request_print:
            raise UnprocessableEntity(
                f"The Idempotency-Key '{key}' was already used for a different request "
                f"({record['Method']} {record['Path']}); use a new key for a new request"
            )
        return record

    def remember(
        self, tenant_id: str, client_id: str, key: str, request_print: str, method: str, path: str, response: Response
    ) -> None:
        """Store the answer inside the caller's transaction (the one that holds the write)."""
        now = self.clock.now()
        body = response.get_data()
        try:
            stored_body: dict[str, str] = {"Body": body.decode("utf-8")}
        except UnicodeDecodeError:
            stored_body = {"BodyBase64": base64.b64encode(body).decode("ascii")}
        table = table_name(tenant_id, KIND)
        self.store.put(
            table,
            self._record_key(client_id, key),
            {
                "Key": key,
                "ClientID": client_id,
                "Method": method,
                "Path": path,
                "Fingerprint": request_print,
                "Status": response.status_code,
                "Headers": [
                    [name, value] for name, value in response.headers.items() if name.lower() not in _NOT_STORED
                ],
                **stored_body,
                "CreatedAt": now,
                "ExpiresAt": now + self.ttl,
            },
        )
        self._sweep(table, now)

    @staticmethod
    def replay(record: dict) -> Response:
        if "BodyBase64" in record:
            body = base64.b64decode(record["BodyBase64"])
        else:
            body = record["Body"].encode("utf-8")
        response = Response(status=record["Status"])
        response.headers.clear()
        for name, value in record["Headers"]:
            response.headers.add(name, value)
        response.headers[REPLAY_HEADER] = "true"
        response.set_data(body)  # after the headers, so Content-Length is set for this body
        return response

    def _sweep(self, table: str, now: datetime) -> None:
        """Drop expired answers now and then, so a long-running data file does not grow without end."""
        due = self._next_sweep.get(table)
        if due is not None and now < due:
            return
        self._next_sweep[table] = now + min(self.ttl, _SWEEP_EVERY)
        expired = [
            self._record_key(record["ClientID"], record["Key"])
            for record in self.store.scan(table)
            if record["ExpiresAt"] <= now
        ]
        for key in expired:
            self.store.delete(table, key)
