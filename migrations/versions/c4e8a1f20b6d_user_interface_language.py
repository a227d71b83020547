"""user interface language: the language the user last chose for the interface, which their notifications
follow unless they chose a notification language of their own

Revision ID: c4e8a1f20b6d
Revises: 33b08150a05d
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4e8a1f20b6d"
down_revision = "33b08150a05d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interface_language", sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("interface_language")
