"""user interface language: the language the user last chose for the interface, which their notifications
follow unless they chose a notification language of their own

Revision ID: c4e8a1f20b6d
Revises: 4bcb5edcf3fd
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4e8a1f20b6d"
down_revision = "4bcb5edcf3fd"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch rebuilds user_account, which every table refers to, and with
# foreign keys enforced SQLite refuses to drop the table it rebuilds (as dc9ffb6fd675 found).
def upgrade():
    op.add_column("user_account", sa.Column("interface_language", sa.String(length=10), nullable=True))


def downgrade():
    op.drop_column("user_account", "interface_language")
