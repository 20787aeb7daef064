"""The webhooks service's audit trail table, and which canton and partner each change concerns."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.audit import AuditRecordMixin
from webhooks.database import Base


class AuditRecord(AuditRecordMixin, Base):
    pass


def audit_scope(session: Session, obj: Any) -> tuple[str | None, str | None]:
    """An endpoint's owner is its scope; a delivery inherits its endpoint's."""
    endpoint = obj
    if type(obj).__name__ == "WebhookDelivery":
        from webhooks.endpoint.models import WebhookEndpoint

        endpoint = session.get(WebhookEndpoint, obj.endpoint_id)
    canton = getattr(endpoint, "owner_canton", None)
    partner_id = getattr(endpoint, "owner_partner_id", None)
    return (canton, str(partner_id) if partner_id else None)
