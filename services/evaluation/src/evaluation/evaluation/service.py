"""Use cases of evaluations and studies. A partner sees only those whose subject includes it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from evaluation.evaluation.models import Evaluation, evaluation_measure, evaluation_partner
from evaluation.evaluation.schemas import (
    TRANSITIONS,
    EvaluationCreate,
    EvaluationRead,
    EvaluationStatus,
    EvaluationUpdate,
)
from evaluation.problems import InvalidStatusTransition
from evaluation.reference import remember_programme
from evaluation.upstream import Programmes
from kit.auth import Principal, Role
from kit.etag import check_version
from kit.i18n import Msg
from kit.pagination import PageParams
from kit.problems import Forbidden, InvalidInput, NotFound

NOT_NULLABLE = {"kind", "title", "questions", "measure_ids", "partner_ids", "status"}


def require_canton_editor(principal: Principal) -> None:
    if principal.role is not Role.CANTON_EDITOR:
        raise Forbidden(Msg("Only a canton editor may change evaluations."))


def concerns_partner(partner_id: uuid.UUID | None) -> ColumnElement[bool]:
    """True for the evaluations whose subject includes the partner, directly or through a measure it delivers."""
    return or_(
        exists().where(
            evaluation_partner.c.evaluation_id == Evaluation.id, evaluation_partner.c.partner_id == partner_id
        ),
        exists().where(
            evaluation_measure.c.evaluation_id == Evaluation.id, evaluation_measure.c.partner_id == partner_id
        ),
    )


_evaluation = Evaluation.__table__

_SUBJECT_MEASURES = (
    select(evaluation_measure.c.evaluation_id, evaluation_measure.c.measure_id, evaluation_measure.c.partner_id)
    .where(evaluation_measure.c.evaluation_id.in_(bindparam("ids", expanding=True)))
    .order_by(evaluation_measure.c.evaluation_id, evaluation_measure.c.measure_id)
)
_SUBJECT_PARTNERS = select(evaluation_partner.c.evaluation_id, evaluation_partner.c.partner_id).where(
    evaluation_partner.c.evaluation_id.in_(bindparam("ids", expanding=True))
)


async def _subjects(
    session: AsyncSession, evaluation_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID]]]:
    """The measures and partners each evaluation looks at (two statements however many evaluations)."""
    measures: dict[uuid.UUID, list[uuid.UUID]] = {e: [] for e in evaluation_ids}
    partners: dict[uuid.UUID, set[uuid.UUID]] = {e: set() for e in evaluation_ids}
    if evaluation_ids:
        for evaluation_id, measure_id, partner_id in await session.execute(_SUBJECT_MEASURES, {"ids": evaluation_ids}):
            measures[evaluation_id].append(measure_id)
            if partner_id is not None:
                partners[evaluation_id].add(partner_id)
        for evaluation_id, partner_id in await session.execute(_SUBJECT_PARTNERS, {"ids": evaluation_ids}):
            partners[evaluation_id].add(partner_id)
    return {e: (measures[e], sorted(partners[e])) for e in evaluation_ids}


def to_read(values: Mapping[Any, Any], measure_ids: list[uuid.UUID], partner_ids: list[uuid.UUID]) -> EvaluationRead:
    status = EvaluationStatus(values["status"])
    return EvaluationRead.model_validate(
        {**values, "measure_ids": measure_ids, "partner_ids": partner_ids, "allowed_next": sorted(TRANSITIONS[status])}
    )


async def read_evaluation(session: AsyncSession, evaluation: Evaluation) -> EvaluationRead:
    measure_ids, partner_ids = (await _subjects(session, [evaluation.id]))[evaluation.id]
    return to_read({c.key: getattr(evaluation, c.key) for c in _evaluation.columns}, measure_ids, partner_ids)


async def get_visible_evaluation(session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID) -> Evaluation:
    """The evaluation if the caller may read it; foreign and missing ones answer alike (404)."""
    evaluation = await session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound(Msg("No evaluation {evaluation_id}.", evaluation_id=evaluation_id))
    if principal.is_partner:
        visible = bool(
            await session.scalar(select(concerns_partner(principal.partner_id)).where(Evaluation.id == evaluation.id))
        )
    else:
        visible = principal.can_read_canton(evaluation.canton)
    if not visible:
        raise NotFound(Msg("No evaluation {evaluation_id}.", evaluation_id=evaluation_id))
    return evaluation


async def get_editable_evaluation(session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID) -> Evaluation:
    evaluation = await get_visible_evaluation(session, principal, evaluation_id)
    principal.require_editor(evaluation.canton)
    return evaluation


async def list_evaluations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    programme_id: uuid.UUID | None,
    status: EvaluationStatus | None,
    partner_id: uuid.UUID | None = None,
) -> tuple[list[EvaluationRead], int]:
    """The evaluations the caller may see, narrowed by the filters. `partner_id` keeps those concerning that
    partner (the rule a partner's own visibility uses): on top of the caller's visibility, so a partner naming
    another partner, or a canton naming another canton's partner, gets an empty list."""
    conditions: list[ColumnElement[bool]] = []
    if principal.is_partner:
        conditions.append(concerns_partner(principal.partner_id))
    elif not principal.is_sem:
        conditions.append(Evaluation.canton == principal.canton)
    if partner_id is not None:
        conditions.append(concerns_partner(partner_id))
    if programme_id is not None:
        conditions.append(Evaluation.programme_id == programme_id)
    if status is not None:
        conditions.append(Evaluation.status == status)
    total = await session.scalar(select(func.count()).select_from(_evaluation).where(*conditions))
    query = (
        select(_evaluation)
        .where(*conditions)
        .order_by(Evaluation.planned_start, Evaluation.title, Evaluation.id)
        .limit(page.limit)
        .offset(page.offset)
    )
    rows = (await session.execute(query)).mappings().all()
    subjects = await _subjects(session, [r["id"] for r in rows])
    return [to_read(r, *subjects[r["id"]]) for r in rows], int(total or 0)


async def _set_subject(
    session: AsyncSession,
    programmes: Programmes,
    evaluation: Evaluation,
    measure_ids: list[uuid.UUID] | None,
    partner_ids: list[uuid.UUID] | None,
) -> None:
    """Check every named measure and partner with the programme service, then replace the stored subject."""
    if measure_ids is not None:
        rows = []
        for i, measure_id in enumerate(dict.fromkeys(measure_ids)):
            measure = await programmes.require_measure(measure_id, evaluation.programme_id, ["body", "measure_ids", i])
            rows.append({"evaluation_id": evaluation.id, "measure_id": measure_id, "partner_id": measure.partner_id})
        await session.execute(delete(evaluation_measure).where(evaluation_measure.c.evaluation_id == evaluation.id))
        if rows:
            await session.execute(insert(evaluation_measure), rows)
    if partner_ids is not None:
        unique = list(dict.fromkeys(partner_ids))
        for i, partner_id in enumerate(unique):
            await programmes.require_partner(partner_id, evaluation.canton, ["body", "partner_ids", i])
        await session.execute(delete(evaluation_partner).where(evaluation_partner.c.evaluation_id == evaluation.id))
        if unique:
            await session.execute(
                insert(evaluation_partner), [{"evaluation_id": evaluation.id, "partner_id": p} for p in unique]
            )


async def create_evaluation(
    session: AsyncSession, principal: Principal, programmes: Programmes, data: EvaluationCreate
) -> Evaluation:
    require_canton_editor(principal)
    programme = await programmes.require_programme(data.programme_id, ["body", "programme_id"])
    principal.require_editor(str(programme["canton"]))
    await remember_programme(session, programme)
    values = data.model_dump(exclude={"measure_ids", "partner_ids"})
    values["kind"] = str(data.kind)
    values["report_url"] = str(data.report_url) if data.report_url else None
    evaluation = Evaluation(**values, canton=programme["canton"], status=str(EvaluationStatus.PLANNED))
    session.add(evaluation)
    await session.flush()
    await _set_subject(session, programmes, evaluation, data.measure_ids, data.partner_ids)
    return evaluation


def check_transition(current: EvaluationStatus, target: EvaluationStatus) -> None:
    if target != current and target not in TRANSITIONS[current]:
        allowed = sorted(TRANSITIONS[current])
        raise InvalidStatusTransition(
            Msg(
                "A {current} evaluation cannot become {target}; allowed next: {allowed}.",
                current=current,
                target=target,
                allowed=", ".join(allowed) or "none",
            ),
            field=["body", "status"],
            allowed_next=[str(s) for s in allowed],
        )


async def update_evaluation(
    session: AsyncSession,
    principal: Principal,
    programmes: Programmes,
    evaluation_id: uuid.UUID,
    data: EvaluationUpdate,
    if_match: str | None,
) -> Evaluation:
    evaluation = await get_editable_evaluation(session, principal, evaluation_id)
    check_version(evaluation.version, if_match)
    changes = data.model_dump(exclude_unset=True)
    for key in NOT_NULLABLE & changes.keys():
        if changes[key] is None:
            raise InvalidInput(Msg("{key} cannot be null.", key=key), field=["body", key])
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        a, b = changes.get(start, getattr(evaluation, start)), changes.get(end, getattr(evaluation, end))
        if a and b and b < a:
            raise InvalidInput(Msg("{end} must not precede {start}.", end=end, start=start), field=["body", end])
    if "status" in changes:
        check_transition(EvaluationStatus(evaluation.status), EvaluationStatus(changes["status"]))
    subject_changed = "measure_ids" in changes or "partner_ids" in changes
    await _set_subject(
        session, programmes, evaluation, changes.pop("measure_ids", None), changes.pop("partner_ids", None)
    )
    for key, value in changes.items():
        if key in ("status", "kind", "report_url") and value is not None:
            value = str(value)
        setattr(evaluation, key, value)
    if subject_changed:
        flag_modified(evaluation, "updated_at")  # the subject is part of the evaluation: bump its version too
    await session.flush()
    return evaluation
