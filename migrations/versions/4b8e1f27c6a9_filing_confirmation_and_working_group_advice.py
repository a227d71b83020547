"""filing confirmations and working-group advice: the bureau confirms each unreachable worker's filing;
the joint working group advises a known high-risk firm while its plan is drafted

Revision ID: 4b8e1f27c6a9
Revises: e8fc25c2741c
Create Date: 2026-12-07 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "4b8e1f27c6a9"
down_revision = "e8fc25c2741c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "filing_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("filing", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["user_account.id"],
                                name=op.f("fk_filing_confirmation_confirmed_by_id_user_account")),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_filing_confirmation_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_confirmation")),
        sa.UniqueConstraint("plan_id", "id_number", "filing",
                            name=op.f("uq_filing_confirmation_plan_id")),
    )
    with op.batch_alter_table("filing_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filing_confirmation_plan_id"), ["plan_id"], unique=False)
    op.create_table(
        "working_group_advice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("working_group_id", sa.Integer(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_working_group_advice_plan_id_plan")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"],
                                name=op.f("fk_working_group_advice_recorded_by_id_user_account")),
        sa.ForeignKeyConstraint(["working_group_id"], ["working_group.id"],
                                name=op.f("fk_working_group_advice_working_group_id_working_group")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_group_advice")),
    )
    with op.batch_alter_table("working_group_advice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_working_group_advice_plan_id"), ["plan_id"], unique=False)


def downgrade():
    with op.batch_alter_table("working_group_advice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_working_group_advice_plan_id"))
    op.drop_table("working_group_advice")
    with op.batch_alter_table("filing_confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_filing_confirmation_plan_id"))
    op.drop_table("filing_confirmation")
