"""audit trail keyed: HMAC-SHA256 chain with key ids, guard against DELETE and TRUNCATE too

Revision ID: 0006_audit_keyed
Revises: 0005_disbursement_lines
Create Date: 2026-11-29 19:50:00

"""
from typing import Sequence, Union

from kit import audit_migration


# revision identifiers, used by Alembic.
revision: str = '0006_audit_keyed'
down_revision: Union[str, Sequence[str], None] = '0005_disbursement_lines'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Verify the unkeyed chain, re-key every record under the current key, guard the table."""
    audit_migration.upgrade()


def downgrade() -> None:
    """Back to the unkeyed chain and the first guard."""
    audit_migration.downgrade()
