"""The programme service's audit trail table, and which canton and partner each change concerns."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.audit import AuditRecordMixin
from programme.database import Base
from programme.programme.models import Programme


class AuditRecord(AuditRecordMixin, Base):
    pass


def audit_scope(session: Session, obj: Any) -> tuple[str | None, str | None]:
    """Programmes and partners carry their canton; goals, measures and priority marks inherit their programme's."""
    canton = getattr(obj, "canton", None)
    programme_id = getattr(obj, "programme_id", None)
    if canton is None and programme_id is not None:
        programme = session.get(Programme, programme_id)
        canton = programme.canton if programme is not None else None
    partner_id = getattr(obj, "partner_id", None)
    if type(obj).__name__ == "Partner":
        partner_id = obj.id
    return (canton, str(partner_id) if partner_id else None)
