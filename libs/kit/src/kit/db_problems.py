"""Database errors as problems: a lost update is a 412, a conflicting write a 409, a database that does not answer
a 503 (try again). Installed by every service app (`kit.app`); kept apart from `kit.problems` so that a part
without a database (the gateway) renders problems without importing SQLAlchemy.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from kit.i18n import Msg
from kit.problems import Conflict, PreconditionFailed, handle_unexpected, problem_response

logger = logging.getLogger("kit.problems")


async def _handle_stale(request: Request, exc: Exception) -> JSONResponse:
    detail = Msg("Someone else changed the resource at the same moment; read it again and retry.")
    return problem_response(412, PreconditionFailed.type_slug, PreconditionFailed.title, detail, request)


async def _handle_integrity(request: Request, exc: Exception) -> JSONResponse:
    logger.info("integrity conflict on %s %s: %s", request.method, request.url.path, exc)
    detail = Msg("The change conflicts with data written at the same moment (a duplicate or a missing reference).")
    return problem_response(409, Conflict.type_slug, Conflict.title, detail, request)


async def _handle_database(request: Request, exc: Exception) -> JSONResponse:
    """A lost or refused database connection is the database being unavailable (503, try again); SQLAlchemy has
    then already replaced the pool's connections. Any other driver error is unexpected."""
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        detail = Msg("The service's database did not answer. Try again.")
        return problem_response(
            503, "database-unavailable", "Database unavailable", detail, request, headers={"Retry-After": "1"}
        )
    return await handle_unexpected(request, exc)


def install_database_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StaleDataError, _handle_stale)
    app.add_exception_handler(IntegrityError, _handle_integrity)
    app.add_exception_handler(DBAPIError, _handle_database)
