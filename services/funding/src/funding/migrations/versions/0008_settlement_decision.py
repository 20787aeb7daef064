"""settlement decisions: SEM's decided carry-over and refund, the canton's acknowledgement, the repayment

Revision ID: 0008_settlement_decision
Revises: 0007_event_outbox
Create Date: 2026-11-29 20:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import kit.db
import kit.money


# revision identifiers, used by Alembic.
revision: str = '0008_settlement_decision'
down_revision: Union[str, Sequence[str], None] = '0007_event_outbox'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('settlement_decision',
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('canton', sa.String(length=2), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('carry_over_amount', kit.money.RappenType(), nullable=False),
    sa.Column('refund_amount', kit.money.RappenType(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('proposal', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['funding_programme.id'], name=op.f('fk_settlement_decision_programme_id_funding_programme'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_decision')),
    sa.UniqueConstraint('programme_id', 'number', name=op.f('uq_settlement_decision_programme_id_number'))
    )
    with op.batch_alter_table('settlement_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlement_decision_canton'), ['canton'], unique=False)

    op.create_table('settlement_decision_event',
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['settlement_decision.id'], name=op.f('fk_settlement_decision_event_decision_id_settlement_decision'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['funding_programme.id'], name=op.f('fk_settlement_decision_event_programme_id_funding_programme'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('decision_id', 'kind', name=op.f('pk_settlement_decision_event'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('settlement_decision_event')
    with op.batch_alter_table('settlement_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlement_decision_canton'))

    op.drop_table('settlement_decision')
