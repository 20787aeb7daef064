"""Reading the audit trail over HTTP: canton users their canton's records, SEM all, a partner its own."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from kit.audit import verify_chain
from kit.auth import PrincipalDep
from kit.db import SessionDep
from kit.pagination import Page, PageDep, paginate
from kit.problems import Forbidden, problem_responses


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


AuditPage = Page[AuditRecordRead]


class ChainCheck(BaseModel):
    ok: bool
    records: int
    broken_at: int | None


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

    @router.get("/verify", response_model=ChainCheck, summary="Check the hash chain of the whole trail")
    async def verify_audit_chain(session: SessionDep, principal: PrincipalDep) -> ChainCheck:
        if principal.is_partner:
            raise Forbidden("Partners read their own audit records; the chain check is for the canton and SEM.")
        rows = (await session.execute(select(model).order_by(model.seq))).scalars().all()
        plain = [{c.key: getattr(r, c.key) for c in model.__table__.columns} for r in rows]
        broken = verify_chain(plain)
        return ChainCheck(ok=broken is None, records=len(plain), broken_at=broken)

    return router
