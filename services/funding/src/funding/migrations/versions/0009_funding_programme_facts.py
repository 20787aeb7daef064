"""programme facts: the programme service's measure and partner statuses, followed from its events

Revision ID: 0009_funding_programme_facts
Revises: 0008_settlement_decision

`programme_measure` and `programme_partner` (the projection), `consumed_cursor` (how far the programme service's
events are applied) and `consumed_event` (the ids applied, so a redelivered event is skipped).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import kit.db


revision: str = '0009_funding_programme_facts'
down_revision: Union[str, Sequence[str], None] = '0008_settlement_decision'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    for table in ('programme_measure', 'programme_partner'):
        op.create_table(table,
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('canton', sa.String(length=2), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))
        )
    op.create_table('consumed_cursor',
    sa.Column('source', sa.String(length=50), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_consumed_cursor'))
    )
    op.create_table('consumed_event',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=50), nullable=False),
    sa.Column('consumed_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consumed_event'))
    )


def downgrade() -> None:
    op.drop_table('consumed_event')
    op.drop_table('consumed_cursor')
    op.drop_table('programme_partner')
    op.drop_table('programme_measure')
