"""RFC 9457 problem details: the one place where every error becomes `application/problem+json`.

Domain errors are subclasses of `Problem` with a stable `type` slug, a title and a status. Validation errors
name the offending fields. Anything unexpected is logged and answered with a 500 that leaks nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kit.field_messages import field_message
from kit.i18n import Msg, localized, translate

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "/problems/"

logger = logging.getLogger("kit.problems")


class FieldError(BaseModel):
    """One offending field of a request."""

    loc: list[str | int] = Field(description="Where the field is: `body`, `query`, `path` or `header`, then names.")
    msg: str = Field(
        description="What is wrong with the field. Localized by `Accept-Language` (English without it; "
        "pydantic's English for a rare error type)."
    )
    type: str = Field(description="A stable code of the kind of error (pydantic's error type, or `value_error`).")


class ProblemDetail(BaseModel):
    """The body of every error response (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A stable URI reference naming the kind of problem.")
    title: str = Field(description="Localized by `Accept-Language`: German, French or Italian (English without it).")
    status: int
    detail: str | None = Field(
        default=None,
        description="What went wrong and what to do. Localized by `Accept-Language` (English without it); names, "
        "codes and values quoted from the request stay as sent.",
    )
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class Problem(Exception):
    """A business or request error with a stable type; raise it anywhere, the handler renders it."""

    type_slug: ClassVar[str] = "about-blank"
    title: ClassVar[str] = "Error"
    status: ClassVar[int] = 400

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(Problem):
    type_slug = "not-found"
    title = "Not found"
    status = 404


class Forbidden(Problem):
    type_slug = "forbidden"
    title = "Forbidden"
    status = 403


class Unauthorized(Problem):
    type_slug = "unauthorized"
    title = "Authentication required"
    status = 401


class Conflict(Problem):
    type_slug = "conflict"
    title = "Conflict"
    status = 409


class PreconditionFailed(Problem):
    type_slug = "precondition-failed"
    title = "The resource was changed by someone else"
    status = 412


class PreconditionRequired(Problem):
    type_slug = "precondition-required"
    title = "If-Match header required"
    status = 428


class InvalidInput(Problem):
    """A request that is well-formed but breaks a rule about one or more fields."""

    type_slug = "validation-error"
    title = "Invalid input"
    status = 422

    def __init__(self, detail: str, *, field: Sequence[str | int] | None = None, **extra: Any) -> None:
        errors = None
        if field is not None:
            errors = [{"loc": list(field), "msg": detail, "type": "value_error"}]
        super().__init__(detail, errors=errors, **extra)


class UpstreamUnavailable(Problem):
    type_slug = "upstream-unavailable"
    title = "A service this request depends on is unavailable"
    status = 503


def problem_response(
    status: int,
    type_slug: str,
    title: str,
    detail: str | None,
    request: Request | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    # Title by type and kit-generic details (`Msg`) in the negotiated language; other details stay as raised.
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + type_slug,
        "title": translate(title),
        "status": status,
        "detail": localized(detail),
    }
    if request is not None:
        body["instance"] = request.url.path
    request_id = correlation_id.get()
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update({k: v for k, v in extra.items() if v is not None})
        if isinstance(body.get("errors"), list):
            body["errors"] = [_localized_error(e) for e in body["errors"]]
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=dict(headers or {}))


def _localized_error(error: Any) -> Any:
    """A field error raised with a `Msg` (an `InvalidInput`'s own) in the problem language."""
    if isinstance(error, dict) and isinstance(error.get("msg"), Msg):
        return error | {"msg": error["msg"].render()}
    return error


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        errors.append(
            {
                "loc": [p if isinstance(p, int) else str(p) for p in err.get("loc", ())],
                "msg": field_message(err),
                "type": str(err.get("type", "")),
            }
        )
    return errors


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem_response(exc.status, exc.type_slug, exc.title, exc.detail, request, exc.extra, headers)


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        detail = Msg("The request body is not valid JSON.")
        return problem_response(400, "malformed-json", "Malformed JSON", detail, request, {"errors": errors})
    names = ", ".join(".".join(str(p) for p in e["loc"]) for e in errors)
    detail = Msg("Invalid fields: {names}.", names=names)
    return problem_response(422, "validation-error", "Invalid input", detail, request, {"errors": errors})


async def _handle_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized", 403: "forbidden"}.get(
        exc.status_code, "http-error"
    )
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404 and detail == "Not Found":
        detail = Msg("There is nothing at {path}.", path=request.url.path)
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = Msg("{path} does not accept {method}.", path=request.url.path, method=request.method)
    return problem_response(exc.status_code, slug, title, detail, request, headers=exc.headers)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Anything unexpected: logged with its traceback, answered 500 with nothing of it leaked."""
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        500, "internal-error", "Internal error", Msg("An unexpected error occurred; it has been logged."), request
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error the app can raise through the problem renderer. An app with a database adds the
    database's errors with `kit.db_problems.install_database_problem_handlers`."""
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(Exception, handle_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem bodies for the given statuses."""
    descriptions = {
        400: "Malformed request (for example JSON that does not parse).",
        401: "Missing, expired or invalid bearer token.",
        403: "The caller's role may not do this.",
        404: "No such resource, or not visible to the caller.",
        409: "The request conflicts with the current state.",
        412: "The `If-Match` ETag is stale: someone else changed the resource.",
        422: "Invalid input; `errors` names the fields.",
        428: "The `If-Match` header is required for this change.",
        503: "A service this request depends on is unavailable.",
    }
    return {
        s: {
            "description": descriptions.get(s, "Problem"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
        }
        for s in statuses
    }
