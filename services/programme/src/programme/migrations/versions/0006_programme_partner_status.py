"""partners: a status, `active` or `deactivated`

Revision ID: 0006_programme_partner_status
Revises: 0005_area_names

Every partner recorded so far is active.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006_programme_partner_status'
down_revision: Union[str, Sequence[str], None] = '0005_area_names'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='active', nullable=False))
        batch_op.create_index(batch_op.f('ix_partner_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_status'))
        batch_op.drop_column('status')
