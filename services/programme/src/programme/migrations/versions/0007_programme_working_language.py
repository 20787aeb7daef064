"""programmes: the canton's working language

Revision ID: 0007_programme_working_language
Revises: 0006_programme_partner_status
Create Date: 2026-11-29 23:10:00

Adds `working_language` (`de`, `fr`, `it`), the language of a programme's exports when the reader asks for none.
Existing programmes get their canton's official language (French for GE, VD, NE, JU, FR and VS, Italian for TI,
German for every other canton, BL included).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0007_programme_working_language'
down_revision: Union[str, Sequence[str], None] = '0006_programme_partner_status'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('programme') as batch:
        batch.add_column(sa.Column('working_language', sa.String(length=2), server_default='de', nullable=False))
    op.execute(
        "UPDATE programme SET working_language = 'fr' WHERE canton IN ('GE', 'VD', 'NE', 'JU', 'FR', 'VS')"
    )
    op.execute("UPDATE programme SET working_language = 'it' WHERE canton = 'TI'")


def downgrade() -> None:
    with op.batch_alter_table('programme') as batch:
        batch.drop_column('working_language')
