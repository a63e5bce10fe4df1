"""The application factory: every call builds a fresh, isolated emulator."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from .api import BLUEPRINTS
from .config import MockConfig
from .control import BLUEPRINTS as CONTROL_BLUEPRINTS
from .control.openapi import public_bp as contract_bp
from .emulator import Emulator
from .http import XeroJSONProvider, negotiate, register_error_handlers
from .identity.views import bp as identity_bp
from .paths import API_PREFIX, CONTROL_PREFIX
from .traffic import install as install_gateway

# werkzeug compiles each URL rule's builder with the ast module as the rule is added, and CPython 3.11's ast
# constructor keeps one recursion counter for the whole interpreter: two threads building ASTs at once can
# fail with "SystemError: AST constructor recursion depth mismatch" (seen here on 3.11.7 under the scenario
# runner's -j 3; CPython issue gh-106905 and the reports around it). Apps built in parallel threads take
# turns registering their routes.
_REGISTERING_ROUTES = threading.Lock()


class _EmulatorFlask(Flask):
    """Flask, remembering for each hook and view whether it needs wrapping to run synchronously.

    Flask asks ``inspect`` whether every before- and after-request hook and the view are coroutine functions,
    on every request, and a function's answer never changes: five such questions were about 1 % of a call."""

    def __init__(self, import_name: str) -> None:
        super().__init__(import_name)
        self._synchronous: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._synchronous[func]
        except KeyError:
            synchronous = self._synchronous[func] = super().ensure_sync(func)
            return synchronous
        except TypeError:  # an unhashable callable: asked every time, as Flask does
            return super().ensure_sync(func)


def create_app(config: MockConfig | Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app.

    ``config`` may be a ``MockConfig``, a mapping of its fields (``{"data_file": ..., "tenants": [...]}``),
    or ``None`` to read ``MOCKXERO_*`` environment variables.
    """
    if config is None:
        settings = MockConfig.from_env()
    elif isinstance(config, MockConfig):
        settings = config
    else:
        settings = MockConfig.from_mapping(config)

    app = _EmulatorFlask("mockxero")
    app.json = XeroJSONProvider(app)
    app.config.update(
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
    app.url_map.strict_slashes = False
    emulator = app.extensions["mockxero"] = Emulator(settings)

    register_error_handlers(app)
    install_gateway(app, emulator.traffic, skip_prefix=CONTROL_PREFIX)
    with _REGISTERING_ROUTES:
        app.register_blueprint(identity_bp)
        app.register_blueprint(contract_bp)
        for blueprint in BLUEPRINTS:
            app.register_blueprint(blueprint, url_prefix=API_PREFIX)
        for blueprint in CONTROL_BLUEPRINTS:
            app.register_blueprint(blueprint, url_prefix=CONTROL_PREFIX)

    @app.before_request
    def _refuse_oversized_bodies() -> None:
        # The size limit is the gateway's: a body over it is refused before anything else looks at the
        # request (even one for an unknown id). Bodies without a Content-Length are caught when read.
        if request.content_length is not None and request.content_length > settings.max_body_bytes:
            raise RequestEntityTooLarge()

    @app.after_request
    def _answer_in_the_clients_format(response: Response) -> Response:
        if request.path.startswith(API_PREFIX):
            return negotiate(response, settings.default_format)
        return response

    return app
