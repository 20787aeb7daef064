"""funding areas: French and Italian names with their source

Revision ID: 0005_area_names
Revises: 0004_event_outbox
Create Date: 2026-11-29 20:10:00

Adds `name_source` and `name_illustrative`, and fills the French and Italian names of the KIP 2bis and KIP 3 areas
where a database has none yet (a name SEM already set is kept).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from programme.funding_area.names import AREA_NAMES

revision: str = '0005_area_names'
down_revision: Union[str, Sequence[str], None] = '0004_event_outbox'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('funding_area') as batch:
        batch.add_column(sa.Column('name_source', sa.Text(), nullable=True))
        batch.add_column(sa.Column('name_illustrative', sa.Boolean(), server_default=sa.false(), nullable=False))
    update = sa.text(
        "UPDATE funding_area SET name_fr = :fr, name_it = :it, name_source = :source, "
        "name_illustrative = :illustrative "
        "WHERE code = :code AND name_fr IS NULL AND name_it IS NULL "
        "AND period_id IN (SELECT id FROM period WHERE code = :period)"
    )
    for (period, code), names in AREA_NAMES.items():
        op.execute(
            update.bindparams(
                fr=names['fr'], it=names['it'], source=names['source'], illustrative=names['illustrative'],
                code=code, period=period,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('funding_area') as batch:
        batch.drop_column('name_illustrative')
        batch.drop_column('name_source')
