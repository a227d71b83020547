"""roster worker medical subsidy: 医疗补助费 (劳部发〔1994〕481号 Art 6) of a worker leaving on the illness ground

Revision ID: 0b546237a0ed
Revises: abe87ddce286
Create Date: 2026-12-07 05:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0b546237a0ed"
down_revision = "abe87ddce286"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("medical_subsidy", sa.Numeric(precision=14, scale=2), nullable=True))


def downgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.drop_column("medical_subsidy")
