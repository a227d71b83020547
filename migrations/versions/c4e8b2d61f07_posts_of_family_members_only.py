"""execution posts of family members only: a worker's post is the placement outcome of the execution record
(execution_record.outcome_kind/outcome), its one source; execution_post keeps the posts of household members
who are no workers (member_id required, id_number dropped)

Revision ID: c4e8b2d61f07
Revises: a7d3e9c51b20
Create Date: 2026-12-07 18:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8b2d61f07"
down_revision = "a7d3e9c51b20"
branch_labels = None
depends_on = None


def upgrade():
    # A worker's post recorded here before has no place left: refused rather than dropped, so that whoever
    # upgrades enters it as the worker's placement outcome first.
    found = op.get_bind().execute(sa.text("SELECT count(*) FROM execution_post WHERE member_id IS NULL")).scalar()
    if found:
        raise RuntimeError(
            f"execution_post holds posts of roster workers ({found}): enter each as the worker's placement outcome "
            "in the execution record, delete those rows, then upgrade again."
        )
    with op.batch_alter_table("execution_post", schema=None) as batch_op:
        batch_op.drop_index("ix_execution_post_worker")
        batch_op.drop_column("id_number")
        batch_op.alter_column("member_id", existing_type=sa.Integer(), nullable=False)


def downgrade():
    with op.batch_alter_table("execution_post", schema=None) as batch_op:
        batch_op.alter_column("member_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("id_number", sa.String(length=18), nullable=True))
        batch_op.create_index("ix_execution_post_worker", ["plan_id", "id_number"], unique=False)
