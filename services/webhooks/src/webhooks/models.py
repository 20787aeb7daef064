"""Every table of the webhooks service, imported in one place for the migrations and the tests."""

from webhooks.audit import AuditRecord
from webhooks.database import Base
from webhooks.delivery.models import FeedCursor, WebhookAttempt, WebhookDelivery
from webhooks.endpoint.models import WebhookEndpoint

__all__ = ["AuditRecord", "Base", "FeedCursor", "WebhookAttempt", "WebhookDelivery", "WebhookEndpoint"]
