"""disbursement lines: the part of a disbursement on each agreement line

A disbursement may now be requested for an agreement and year without naming a line; the canton's approval
allocates it to the agreement's lines. Every existing disbursement named its line, so each gets one disbursement
line with its whole amount: no total changes.

Revision ID: 0005_disbursement_lines
Revises: 0004_federal_allocation
Create Date: 2026-11-29 19:40:34.256845

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import kit.money


# revision identifiers, used by Alembic.
revision: str = '0005_disbursement_lines'
down_revision: Union[str, Sequence[str], None] = '0004_federal_allocation'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema, then put every existing disbursement on the line it named."""
    op.create_table('disbursement_line',
    sa.Column('disbursement_id', sa.Uuid(), nullable=False),
    sa.Column('funding_area_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('agreement_id', sa.Uuid(), nullable=False),
    sa.Column('programme_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', kit.money.RappenType(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_disbursement_line_agreement_id_agreement'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['disbursement_id'], ['disbursement.id'], name=op.f('fk_disbursement_line_disbursement_id_disbursement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['funding_programme.id'], name=op.f('fk_disbursement_line_programme_id_funding_programme'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('disbursement_id', 'funding_area_id', 'source', name=op.f('pk_disbursement_line'))
    )
    with op.batch_alter_table('disbursement_line', schema=None) as batch_op:
        batch_op.create_index('ix_disbursement_line_key', ['agreement_id', 'year', 'funding_area_id', 'source'], unique=False)

    op.execute(
        "INSERT INTO disbursement_line (disbursement_id, funding_area_id, source, agreement_id, programme_id, year, amount) "
        "SELECT id, funding_area_id, source, agreement_id, programme_id, year, amount FROM disbursement"
    )

    with op.batch_alter_table('disbursement', schema=None) as batch_op:
        batch_op.alter_column('funding_area_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column('source', existing_type=sa.String(length=40), nullable=True)


def downgrade() -> None:
    """Downgrade schema: a disbursement without a line of its own takes the first of its lines (its amount stays)."""
    for column in ('funding_area_id', 'source'):
        op.execute(
            f"UPDATE disbursement SET {column} = (SELECT l.{column} FROM disbursement_line l "
            f"WHERE l.disbursement_id = disbursement.id ORDER BY l.amount DESC, l.source LIMIT 1) "
            f"WHERE {column} IS NULL"
        )
    op.execute("DELETE FROM disbursement WHERE funding_area_id IS NULL OR source IS NULL")
    with op.batch_alter_table('disbursement', schema=None) as batch_op:
        batch_op.alter_column('source', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('funding_area_id', existing_type=sa.Uuid(), nullable=False)

    with op.batch_alter_table('disbursement_line', schema=None) as batch_op:
        batch_op.drop_index('ix_disbursement_line_key')

    op.drop_table('disbursement_line')
