"""plan amendment: a published plan changed goes back through drafting, the congress and the review (方案变更),
with the reason, the published revision it starts from and when execution had started

Revision ID: b8e2f4a6c1d3
Revises: c4e8b2d61f07
Create Date: 2026-12-07 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b8e2f4a6c1d3"
down_revision = "c4e8b2d61f07"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("from_revision", sa.Integer(), nullable=False),
        sa.Column("published_hash", sa.String(length=64), nullable=False),
        sa.Column("execution_started_at", sa.DateTime(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("resumed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_amendment_plan_id_plan")),
        sa.ForeignKeyConstraint(["started_by_id"], ["user_account.id"], name=op.f("fk_plan_amendment_started_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_amendment")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_amendment_plan_id")),
    )
    op.create_index(op.f("ix_plan_amendment_plan_id"), "plan_amendment", ["plan_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_plan_amendment_plan_id"), table_name="plan_amendment")
    op.drop_table("plan_amendment")
