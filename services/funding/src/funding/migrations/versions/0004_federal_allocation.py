"""federal allocation: the IFK SEM allocates a programme per year and for the period

Revision ID: 0004_federal_allocation
Revises: 0003
Create Date: 2026-11-29 19:21:40.914835

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import kit.db
import kit.money


# revision identifiers, used by Alembic.
revision: str = '0004_federal_allocation'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('federal_allocation',
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('canton', sa.String(length=2), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('agreement_date', sa.Date(), nullable=False),
    sa.Column('period_amount', kit.money.RappenType(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.Column('created_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kit.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['funding_programme.id'], name=op.f('fk_federal_allocation_programme_id_funding_programme'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('programme_id', name=op.f('pk_federal_allocation'))
    )
    with op.batch_alter_table('federal_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_federal_allocation_canton'), ['canton'], unique=False)

    op.create_table('federal_allocation_year',
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('amount', kit.money.RappenType(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['federal_allocation.programme_id'], name=op.f('fk_federal_allocation_year_programme_id_federal_allocation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'year', name=op.f('pk_federal_allocation_year'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('federal_allocation_year')
    with op.batch_alter_table('federal_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_federal_allocation_canton'))

    op.drop_table('federal_allocation')
