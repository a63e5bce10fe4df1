"""Fault injection: rules that make chosen calls fail the way networks and servers do.

A rule (JSON or YAML; ``POST /mock-api/faults`` or the ``faults_file`` loaded at start)::

    {"method": "POST", "path": "/api.xro/2.0/Invoices*", "tenant": "<tenant id>",
     "nth": 3, "times": 1, "effect": "status", "status": 503}

Matching (every given field must match; an absent one matches anything):

* ``method``: the HTTP method, any case.
* ``path``: a shell-style glob (``*``, ``?``, ``[...]``) over the whole request path, case-sensitive;
  or ``path_regex``: a Python regular expression that must match the whole path.
* ``tenant``: the ``xero-tenant-id`` header (compared as a GUID).

Firing: ``nth: n`` fires from the n-th matching call on; ``probability: p`` (0 < p ≤ 1) fires on each
matching call with chance p drawn from ``random.Random(seed)`` (``seed`` defaults to 0), so a run repeats;
with neither, every matching call fires. ``times`` caps the firings (default 1 with ``nth``, unlimited
otherwise). Rules are tried in the order they were added; the first one that fires wins and the rules
after it do not see that call.

Effects (``effect``):

* ``status``: answer ``status`` with optional ``headers`` and ``body`` (an object or list is sent as JSON,
  a string as text) without running the call;
* ``latency``: delay the call by ``latency`` seconds, then run it normally;
* ``drop``: cut the connection before the call runs: nothing is written, the client sees a connection error;
* ``lost_response``: run the call (its write commits), then cut the connection instead of answering.
* ``revoke_token``: revoke the grant of the bearer token the call presents (as a user disconnecting the
  app in Xero does), then let the call go on: the identity check refuses it with Xero's 401
  ``AuthenticationUnsuccessful``, as it refuses every later call with a token of that grant, and a refresh
  of the grant's refresh token gets ``invalid_grant``. A call with no token of this emulator's goes on
  unchanged (the rule still counts it as fired).

``latency`` may also be given with any other effect, to delay it first. A delay moves the emulator clock
forward (tests never wait) unless the server runs with ``fault_latency: sleep``.
"""

from __future__ import annotations

import fnmatch
import json
import math
import random
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..config import ConfigError
from ..ids import is_guid, normalise_guid

EFFECTS = ("status", "latency", "drop", "lost_response", "revoke_token")
MAX_LATENCY = 86_400  # a day: longer says nothing more, and would stall a sleeping server's thread
_FIELDS = {
    "method",
    "path",
    "path_regex",
    "tenant",
    "nth",
    "probability",
    "seed",
    "times",
    "effect",
    "status",
    "headers",
    "body",
    "latency",
}


class FaultRuleError(ValueError):
    """A rule that cannot be used; the message names the field."""


class FaultFileError(FaultRuleError, ConfigError):
    """A fault file that cannot be read or parsed (a configuration error at start)."""


@dataclass
class FaultRule:
    id: int
    effect: str
    method: str | None = None
    path: str | None = None
    path_regex: str | None = None
    tenant: str | None = None
    nth: int | None = None
    probability: float | None = None
    seed: int = 0
    times: int | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    latency: float = 0.0
    matched: int = 0
    fired: int = 0
    _pattern: re.Pattern | None = field(default=None, repr=False)
    _random: random.Random | None = field(default=None, repr=False)

    @classmethod
    def from_dict(cls, rule_id: int, data: Any) -> FaultRule:
        if not isinstance(data, dict):
            raise FaultRuleError(f"a fault rule must be an object, got {type(data).__name__}")
        unknown = sorted(set(data) - _FIELDS)
        if unknown:
            raise FaultRuleError(f"unknown field {unknown[0]!r} in a fault rule")
        effect = data.get("effect")
        if effect not in EFFECTS:
            raise FaultRuleError(f"effect must be one of {', '.join(EFFECTS)}, got {effect!r}")
        rule = cls(id=rule_id, effect=effect)
        rule.method = _optional_text(data, "method")
        rule.method = rule.method.upper() if rule.method else None
        rule.path = _optional_text(data, "path")
        rule.path_regex = _optional_text(data, "path_regex")
        if rule.path and rule.path_regex:
            raise FaultRuleError("give either path (a glob) or path_regex, not both")
        if rule.path_regex:
            try:
                rule._pattern = re.compile(rule.path_regex)
            except re.error as exc:
                raise FaultRuleError(f"path_regex is not a valid regular expression: {exc}") from None
        tenant = _optional_text(data, "tenant")
        if tenant is not None:
            if not is_guid(tenant):
                raise FaultRuleError(f"tenant must be a tenant id (a GUID), got {tenant!r}")
            rule.tenant = normalise_guid(tenant)
        rule.nth = _optional_count(data, "nth")
        rule.times = _optional_count(data, "times")
        if "probability" in data:
            probability = _number(data["probability"])
            if probability is None or not 0 < probability <= 1:
                raise FaultRuleError(
                    f"probability must be a number above 0 and at most 1, got {_show(data['probability'])}"
                )
            rule.probability = probability
        if rule.nth is not None and rule.probability is not None:
            raise FaultRuleError("give either nth or probability, not both")
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise FaultRuleError(f"seed must be a whole number, got {_show(seed)}")
        rule.seed = seed
        rule._random = random.Random(seed)
        if rule.nth is not None and rule.times is None:
            rule.times = 1
        rule.latency = _latency(data)
        if effect == "latency" and rule.latency <= 0:
            raise FaultRuleError("a latency rule needs latency: a number of seconds above 0")
        if effect == "status":
            status = data.get("status")
            if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
                raise FaultRuleError(f"a status rule needs status: an HTTP status from 200 to 599, got {_show(status)}")
            rule.status = status
            headers = data.get("headers", {})
            if not isinstance(headers, dict) or not all(
                isinstance(k, str) and isinstance(v, (str, int)) and not isinstance(v, bool) for k, v in headers.items()
            ):
                raise FaultRuleError("headers must map header names to text")
            rule.headers = {k: str(v) for k, v in headers.items()}
            body = data.get("body")
            if body is not None and not isinstance(body, (dict, list, str)):
                raise FaultRuleError("body must be an object, a list or text")
            rule.body = body
        else:
            for name in ("status", "headers", "body"):
                if name in data:
                    raise FaultRuleError(f"{name} applies only to effect 'status'")
        return rule

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "effect": self.effect}
        for name in ("method", "path", "path_regex", "tenant", "nth", "probability"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.probability is not None:
            data["seed"] = self.seed
        data["times"] = self.times
        if self.effect == "status":
            data["status"] = self.status
            if self.headers:
                data["headers"] = dict(self.headers)
            if self.body is not None:
                data["body"] = self.body
        if self.latency:
            data["latency"] = self.latency
        data["matched"] = self.matched
        data["fired"] = self.fired
        return data

    @property
    def label(self) -> str:
        """How the request log names what fired: ``"#2 status 503"``, ``"#1 lost_response"``."""
        if self.effect == "status":
            return f"#{self.id} status {self.status}"
        if self.effect == "latency":
            return f"#{self.id} latency {self.latency:g}s"
        return f"#{self.id} {self.effect}"

    def matches(self, method: str, path: str, tenant: str | None) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path is not None and not fnmatch.fnmatchcase(path, self.path):
            return False
        if self._pattern is not None and self._pattern.fullmatch(path) is None:
            return False
        return self.tenant is None or self.tenant == tenant

    def fires(self) -> bool:
        """Count one matching call and say whether the rule fires on it."""
        self.matched += 1
        if self.times is not None and self.fired >= self.times:
            return False
        if self.nth is not None and self.matched < self.nth:
            return False
        if self.probability is not None and self._random is not None and self._random.random() >= self.probability:
            return False
        self.fired += 1
        return True


def _show(value: Any) -> str:
    """A value as the rule's author wrote it (JSON numbers arrive as ``Decimal``)."""
    return str(value) if isinstance(value, Decimal) else repr(value)


def _optional_text(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise FaultRuleError(f"{name} must be non-empty text, got {value!r}")
    return value


def _optional_count(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FaultRuleError(f"{name} must be a whole number of at least 1, got {_show(value)}")
    return value


def _number(value: Any) -> float | None:
    """A finite number from JSON (``Decimal``) or YAML (``int``/``float``); ``None`` for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _latency(data: dict) -> float:
    latency = _number(data.get("latency", 0))
    if latency is None or not 0 <= latency <= MAX_LATENCY:
        raise FaultRuleError(
            f"latency must be a number of seconds from 0 to {MAX_LATENCY}, got {_show(data.get('latency'))}"
        )
    return latency


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._next_id = 1

    def add(self, data: Any) -> FaultRule:
        with self._lock:
            rule = FaultRule.from_dict(self._next_id, data)
            self._next_id += 1
            self._rules.append(rule)
            return rule

    def add_all(self, rules: list[Any]) -> list[FaultRule]:
        """Add several rules, all or none: one bad rule (named by its position) adds nothing."""
        with self._lock:
            added = []
            for position, data in enumerate(rules, start=1):
                try:
                    added.append(FaultRule.from_dict(self._next_id + position - 1, data))
                except FaultRuleError as exc:
                    raise FaultRuleError(f"fault rule {position}: {exc}") from None
            self._next_id += len(added)
            self._rules.extend(added)
            return added

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_dict() for rule in self._rules]

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            removed = len(kept) != len(self._rules)
            self._rules = kept
            return removed

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def pick(self, method: str, path: str, tenant: str | None) -> FaultRule | None:
        """The rule that fires on this call, if any (counting the call on every rule up to it)."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path, tenant) and rule.fires():
                    return rule
        return None


def rules_from_document(document: Any) -> list[Any]:
    """A rule file holds a list of rules, or an object with a ``faults`` list."""
    if isinstance(document, dict) and "faults" in document:
        document = document["faults"]
    if not isinstance(document, list):
        raise FaultRuleError("expected a list of fault rules (or an object with a 'faults' list)")
    return document


def load_rules_file(path: str | Path) -> list[Any]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise FaultFileError(f"cannot read fault file {file}: {exc.strerror}") from None
    try:
        document = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FaultFileError(f"fault file {file} is not valid {file.suffix.lstrip('.') or 'YAML'}: {exc}") from None
    try:
        return rules_from_document(document)
    except FaultRuleError as exc:
        raise FaultFileError(f"fault file {file}: {exc}") from None
