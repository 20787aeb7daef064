"""Alembic environment of the webhooks service."""

from alembic import context

from kit.migrations import run_migrations_online
from webhooks.models import Base

run_migrations_online(context.config, Base.metadata)
