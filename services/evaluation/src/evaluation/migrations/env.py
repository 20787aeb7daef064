"""Alembic environment of the evaluation service."""

from alembic import context

from evaluation.models import Base
from kit.migrations import run_migrations_online

run_migrations_online(context.config, Base.metadata)
