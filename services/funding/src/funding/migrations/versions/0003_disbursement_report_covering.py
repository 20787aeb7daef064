"""disbursement report index covers the amount

The financial report and the totals of every programme sum paid disbursements by programme, status, year,
funding area and source; with the amount as the index's last column they are read from the index alone
(an index-only scan on PostgreSQL, a covering index on SQLite) instead of one heap row per disbursement.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 04:10:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD = ['programme_id', 'status', 'year', 'funding_area_id', 'source']


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('disbursement', schema=None) as batch_op:
        batch_op.drop_index('ix_disbursement_report')
        batch_op.create_index('ix_disbursement_report', [*OLD, 'amount'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('disbursement', schema=None) as batch_op:
        batch_op.drop_index('ix_disbursement_report')
        batch_op.create_index('ix_disbursement_report', OLD, unique=False)
