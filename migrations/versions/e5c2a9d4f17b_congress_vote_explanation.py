"""congress vote explanation: the written reason for a 职工代表大会 below the usual size

Revision ID: e5c2a9d4f17b
Revises: a7d41c9e2b85
Create Date: 2026-12-07 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e5c2a9d4f17b"
down_revision = "a7d41c9e2b85"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("congress_vote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("congress_vote", schema=None) as batch_op:
        batch_op.drop_column("explanation")
