"""Use case of an indicator-value upload: every row through the same rules as one value entered by hand
(`values.enter_value`: visibility, writer, period, breakdown categories, every plausibility rule), in one
transaction. Each row runs in its own savepoint so every bad row is found and named; any bad row, or a dry run,
rolls the whole upload back. A row about an indicator the caller may not report on is answered like an unknown
indicator, so nothing about another partner's indicators is revealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation.indicator import values
from evaluation.indicator.schemas import ValueCreate
from evaluation.indicator_upload.parse import Row
from evaluation.indicator_upload.schemas import RowError, UploadReport
from evaluation.upstream import Programmes
from kit.auth import Principal
from kit.problems import Forbidden, NotFound, Problem

MAX_LISTED = 1000


class UploadInvalid(Problem):
    type_slug = "evaluation/upload-invalid"
    title = "The upload has bad rows; nothing was stored"
    status = 422


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()[:5])


async def upload_values(
    session: AsyncSession, principal: Principal, programmes: Programmes, rows: Iterable[Row], *, dry_run: bool
) -> UploadReport:
    if not principal.is_partner and not principal.is_canton:
        raise Forbidden("Values are uploaded by the delivering partner or a canton editor.")
    errors: list[RowError] = []
    read = stored = 0
    outer = await session.begin_nested()
    for number, data, problems in rows:
        read += 1
        if problems:
            errors.append(RowError(row=number, message="; ".join(problems)))
            continue
        try:
            indicator_id = uuid.UUID(str(data.pop("indicator_id")))
        except (KeyError, ValueError):
            errors.append(RowError(row=number, message="indicator_id: not an indicator id (a UUID)"))
            continue
        try:
            create = ValueCreate.model_validate(data)
        except ValidationError as exc:
            errors.append(RowError(row=number, message=_validation_message(exc)))
            continue
        try:
            async with session.begin_nested():
                await values.enter_value(session, principal, programmes, indicator_id, create)
        except NotFound:
            errors.append(
                RowError(row=number, message=f"indicator_id: no indicator {indicator_id} you may report values on")
            )
        except Problem as exc:
            errors.append(RowError(row=number, message=exc.detail))
        else:
            stored += 1
    if errors or dry_run:
        await outer.rollback()
    else:
        await outer.commit()
    if errors:
        raise UploadInvalid(
            f"{len(errors)} of {read} rows cannot be stored; nothing was stored. First: row {errors[0].row}: "
            f"{errors[0].message}",
            rows=[e.model_dump() for e in errors[:MAX_LISTED]],
            bad_rows=len(errors),
        )
    if read == 0:
        raise UploadInvalid("The file has no data rows.", rows=[], bad_rows=0)
    return UploadReport(dry_run=dry_run, rows=read, stored=0 if dry_run else stored)
