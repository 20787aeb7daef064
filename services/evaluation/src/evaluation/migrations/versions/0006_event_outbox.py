"""event outbox: the service's domain events (the feed) and how far each relay has published them

Revision ID: 0006_event_outbox
Revises: 0005_audit_keyed
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



revision: str = '0006_event_outbox'
down_revision: Union[str, Sequence[str], None] = '0005_audit_keyed'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('event',
    sa.Column('position', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('canton', sa.String(length=2), nullable=True),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('programme_id', sa.String(length=36), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_event')),
    sa.UniqueConstraint('id', name=op.f('uq_event_id'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_canton'), ['canton'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_type'), ['type'], unique=False)
    op.create_table('event_relay',
    sa.Column('sink', sa.String(length=50), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('sink', name=op.f('pk_event_relay'))
    )


def downgrade() -> None:
    op.drop_table('event_relay')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_type'))
        batch_op.drop_index(batch_op.f('ix_event_programme_id'))
        batch_op.drop_index(batch_op.f('ix_event_partner_id'))
        batch_op.drop_index(batch_op.f('ix_event_canton'))
    op.drop_table('event')
