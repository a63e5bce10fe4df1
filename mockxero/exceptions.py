"""Every error the emulator can answer with, typed once.

Each class knows its HTTP status and the body Xero sends for it; ``mockxero.http.render_error`` renders them
all in one place. Views and the backend raise, they never build error responses themselves.

Three families, because Xero answers in three shapes:

* the accounting API's own 400s (``ApiException``): ``{"ErrorNumber", "Type", "Message", "Elements"}``;
* the API gateway's problem bodies (``ProblemError``): ``{"Type": null, "Title", "Status", "Detail",
  "Instance", "Extensions"}`` for 401, 403, 404, 405, 413, 429 and 5xx;
* the identity server's OAuth2 errors (``OAuthError``): ``{"error": "invalid_grant"}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class XeroAPIError(Exception):
    status: int = 500
    headers: dict[str, str]

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.headers = {}

    def body(self, instance_id: str) -> dict[str, Any]:
        raise NotImplementedError


# --- accounting API 400s -------------------------------------------------------------------------------


class ApiException(XeroAPIError):
    """The accounting API's error body: ``ErrorNumber``, ``Type``, ``Message``."""

    status = 400
    error_number = 0
    error_type = "ApiException"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def body(self, instance_id: str) -> dict[str, Any]:
        return {"ErrorNumber": self.error_number, "Type": self.error_type, "Message": self.message}


class ValidationException(ApiException):
    """Business-rule failures. ``messages`` belong to one element; the batch runner collects elements.

    Raised by the backend with just the messages; the HTTP layer attaches the echoed ``elements``.
    """

    error_number = 10
    error_type = "ValidationException"

    def __init__(self, messages: str | Iterable[str], elements: list[dict] | None = None):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("A validation exception occurred")
        self.elements = elements or []

    def __str__(self) -> str:
        return "; ".join(self.messages)

    def body(self, instance_id: str) -> dict[str, Any]:
        body = super().body(instance_id)
        body["Elements"] = self.elements or [{"ValidationErrors": [{"Message": m} for m in self.messages]}]
        return body


class PostDataInvalidException(ApiException):
    """The body could not be read as the resource: bad JSON, wrong types, unknown enum values."""

    error_number = 14
    error_type = "PostDataInvalidException"


class QueryParseException(ApiException):
    """A ``where`` or ``order`` expression that does not parse."""

    error_number = 16
    error_type = "QueryParseException"


# --- gateway problem bodies ----------------------------------------------------------------------------


class ProblemError(XeroAPIError):
    title = "Internal Server Error"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def body(self, instance_id: str) -> dict[str, Any]:
        # Xero's gateway really does send "Type": null and an empty "Extensions" object.
        return {
            "Type": None,
            "Title": self.title,
            "Status": self.status,
            "Detail": self.detail,
            "Instance": instance_id,
            "Extensions": {},
        }


class BadRequest(ProblemError):
    """A request the gateway refuses before any resource sees it (e.g. a malformed header)."""

    status = 400
    title = "Bad Request"


class Unauthorized(ProblemError):
    status = 401
    title = "Unauthorized"


class TokenExpired(Unauthorized):
    def __init__(self, expired_at_text: str):
        super().__init__(f"TokenExpired: token expired at {expired_at_text}")


class Forbidden(ProblemError):
    status = 403
    title = "Forbidden"


class NotFound(ProblemError):
    status = 404
    title = "Not Found"

    def __init__(self, detail: str = "The resource you're looking for cannot be found"):
        super().__init__(detail)


class MethodNotAllowed(ProblemError):
    status = 405
    title = "Method Not Allowed"


class PayloadTooLarge(ProblemError):
    status = 413
    title = "Payload Too Large"


class UnprocessableEntity(ProblemError):
    """A well-formed request the gateway will not act on (an Idempotency-Key reused for another request)."""

    status = 422
    title = "Unprocessable Entity"


class RateLimitExceeded(ProblemError):
    status = 429
    title = "Too Many Requests"

    def __init__(self, problem: str, retry_after: int):
        super().__init__(f"Rate limit exceeded: {problem}")
        self.problem = problem
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after), "X-Rate-Limit-Problem": problem}


class NotImplementedByXero(ProblemError):
    status = 501
    title = "Not Implemented"


class InternalError(ProblemError):
    status = 500
    title = "Internal Server Error"


# --- identity server -----------------------------------------------------------------------------------


class OAuthError(XeroAPIError):
    """RFC 6749 errors from ``/connect/token``: ``{"error": "invalid_grant"}``."""

    def __init__(self, error: str, description: str | None = None, status: int = 400):
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status

    def body(self, instance_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


# --- the control API -----------------------------------------------------------------------------------


class ControlError(XeroAPIError):
    """Errors of the control API under ``/mock-api``, which is ours and not Xero's, so its errors use a
    plain shape of our own: ``{"error": "unknown_tenant", "detail": "..."}``."""

    def __init__(self, status: int, error: str, detail: str):
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail

    def body(self, instance_id: str) -> dict[str, Any]:
        return {"error": self.error, "detail": self.detail}
