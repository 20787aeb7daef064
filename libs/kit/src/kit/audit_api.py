"""Reading the audit trail over HTTP: canton users their canton's records, SEM all, a partner its own; and checking
it: SEM the whole chain, a canton user the chain as it concerns its canton's records."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from kit.audit_chain import verify_trail
from kit.audit_keys import checkpoint_file, keyring
from kit.auth import PrincipalDep
from kit.i18n import Msg
from kit.pagination import Page, PageDep, paginate
from kit.problems import Forbidden, problem_responses
from kit.session import SessionDep


class AuditRecordRead(BaseModel):
    seq: int
    at: dt.datetime
    actor: str
    actor_role: str
    request_id: str | None
    entity: str
    entity_id: str
    action: str
    canton: str | None
    partner_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str
    key_id: str | None = Field(default=None, description="The key that MACed the record (keys rotate).")


AuditPage = Page[AuditRecordRead]


class ChainCheck(BaseModel):
    ok: bool
    records: int = Field(description="Records checked: the caller's canton's for a canton user, all for SEM.")
    broken_at: int | None = Field(description="Sequence number of the first record that does not fit, if any.")
    problem: str | None = Field(
        default=None,
        description="`missing` (a gap), `relinked`, `changed` (MAC wrong), `unknown-key`, `truncated` (fewer "
        "records than the last checkpoint outside the database counted), `rewritten` (another hash at the "
        "checkpoint's record), `checkpoint-invalid`.",
    )
    checkpoint_checked: bool = Field(default=False, description="A checkpoint outside the database was compared.")


def audit_router(model: type[Any]) -> APIRouter:
    router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=problem_responses(401, 403, 422))

    @router.get("", response_model=AuditPage, summary="Read the audit trail (newest first)")
    async def list_audit_records(
        session: SessionDep,
        principal: PrincipalDep,
        page: PageDep,
        entity: Annotated[str | None, Query(max_length=60, description="Table name, e.g. `measure`.")] = None,
        entity_id: Annotated[str | None, Query(max_length=200)] = None,
    ) -> AuditPage:
        """Who changed what and when, with the record before and after, newest first and paged. A canton user reads its
        canton's records, SEM every canton's; partners have no access."""
        query = select(model)
        if principal.is_partner:
            query = query.where(model.partner_id == str(principal.partner_id))
        elif not principal.is_sem:
            query = query.where(model.canton == principal.canton)
        if entity is not None:
            query = query.where(model.entity == entity)
        if entity_id is not None:
            query = query.where(model.entity_id == entity_id)
        rows, total = await paginate(session, query.order_by(model.seq.desc()), page)
        return AuditPage(
            items=[AuditRecordRead.model_validate(r, from_attributes=True) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    @router.get("/verify", response_model=ChainCheck, summary="Check the audit chain (a canton user: its canton's)")
    async def verify_audit_chain(session: SessionDep, principal: PrincipalDep) -> ChainCheck:
        """Recomputes the keyed hash chain of the audit trail: `ok`, or in `broken_at` the sequence number of the first
        record that does not fit."""
        if principal.is_partner:
            raise Forbidden(Msg("Partners read their own audit records; the chain check is for the canton and SEM."))
        canton = None if principal.is_sem else principal.canton
        checkpoints = checkpoint_file(model.__module__.split(".")[0], session.get_bind().engine.url)
        verdict = await verify_trail(session, model, keyring(), checkpoints, canton=canton)
        return ChainCheck(**vars(verdict))

    return router
