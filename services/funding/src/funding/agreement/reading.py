"""The hot read of one agreement: the agreement, its current version and that version's lines in one statement,
as plain rows (no ORM objects: a read changes nothing)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding.agreement.models import Agreement, AgreementLine, AgreementVersion
from funding.agreement.schemas import AgreementLineRead, AgreementRead, AgreementStatus, AgreementVersionRead
from funding.agreement.service import ZERO, visible_to
from funding.sources import Source
from kit.auth import Principal
from kit.i18n import Msg
from kit.problems import NotFound
from kit.row_read import RowRead

_A = Agreement.__table__
_V = AgreementVersion.__table__
_L = AgreementLine.__table__
#: The version's columns the answer shows, labelled apart from the agreement's own (`id`, `created_at`).
_VERSION_KEYS = tuple(c.key for c in _V.columns if c.key not in ("id", "agreement_id"))
_AGREEMENT_KEYS = (
    "id",
    "programme_id",
    "canton",
    "partner_id",
    "reference",
    "current_version",
    "signed_version",
    "illustrative",
    "source_note",
    "version",
)
#: One row per line of the current version (one row with no line for a version without lines).
_READ_ONE = RowRead(
    select(
        *(_A.c[k] for k in (*_AGREEMENT_KEYS, "status")),
        *(_V.c[k].label(f"v_{k}") for k in _VERSION_KEYS),
        _L.c.year.label("l_year"),
        _L.c.funding_area_id.label("l_area"),
        _L.c.source.label("l_source"),
        _L.c.amount.label("l_amount"),
    )
    .join(_V, and_(_V.c.agreement_id == _A.c.id, _V.c.number == _A.c.current_version))
    .outerjoin(_L, _L.c.version_id == _V.c.id)
    .where(_A.c.id == bindparam("agreement_id"))
)


def _version(rows: Sequence[Mapping[str, Any]]) -> AgreementVersionRead:
    row = rows[0]
    lines = sorted(
        (r for r in rows if r["l_year"] is not None), key=lambda r: (r["l_year"], str(r["l_area"]), r["l_source"])
    )
    fields: dict[str, Any] = {k: row[f"v_{k}"] for k in _VERSION_KEYS}
    fields["measure_ids"] = [uuid.UUID(m) for m in fields["measure_ids"]]
    return AgreementVersionRead(
        **fields,
        lines=[
            AgreementLineRead(
                year=r["l_year"], funding_area_id=r["l_area"], source=Source(r["l_source"]), amount=r["l_amount"]
            )
            for r in lines
        ],
        total=sum((r["l_amount"] for r in lines), ZERO),
    )


async def read_visible_agreement(session: AsyncSession, principal: Principal, agreement_id: uuid.UUID) -> AgreementRead:
    """The agreement as the caller may read it (its canton's readers, SEM, the partner it is with), in its current
    version, in one statement."""
    rows = await _READ_ONE.rows(session, {"agreement_id": agreement_id})
    if not rows or not visible_to(principal, rows[0]["canton"], rows[0]["partner_id"]):
        raise NotFound(Msg("No agreement {agreement_id}.", agreement_id=agreement_id))
    row = rows[0]
    return AgreementRead(
        **{k: row[k] for k in _AGREEMENT_KEYS}, status=AgreementStatus(row["status"]), current=_version(rows)
    )
