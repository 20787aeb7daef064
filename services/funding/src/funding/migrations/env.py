"""Alembic environment of the funding service."""

from alembic import context

from funding.models import Base
from kit.migrations import run_migrations_online

run_migrations_online(context.config, Base.metadata)
