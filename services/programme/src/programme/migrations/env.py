"""Alembic environment of the programme service."""

from alembic import context

from kit.migrations import run_migrations_online
from programme.models import Base

run_migrations_online(context.config, Base.metadata)
