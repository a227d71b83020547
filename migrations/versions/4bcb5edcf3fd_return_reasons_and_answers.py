"""return reasons and the clerk's answers: one row per reason of a bureau return or a working group's
退回修改, answered at resubmission with the revision that carries the answer

Revision ID: 4bcb5edcf3fd
Revises: 5ade01ef986b
Create Date: 2026-12-07 14:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4bcb5edcf3fd"
down_revision = "5ade01ef986b"
branch_labels = None
depends_on = None

# The revision that followed a return: the plan's first revision submitted after it.
NEXT_REVISION = (
    "(SELECT r.id FROM plan_revision r WHERE r.plan_id = {table}.plan_id AND r.submitted_at > {table}.{when} "
    "ORDER BY r.number LIMIT 1)"
)


def upgrade():
    op.create_table(
        "return_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("working_group_record_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_return_reason_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["review_id"], ["bureau_review.id"], name=op.f("fk_return_reason_review_id_bureau_review")
        ),
        sa.ForeignKeyConstraint(
            ["working_group_record_id"], ["working_group_record.id"],
            name=op.f("fk_return_reason_working_group_record_id_working_group_record"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["plan_revision.id"], name=op.f("fk_return_reason_revision_id_plan_revision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_reason")),
    )
    with op.batch_alter_table("return_reason", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_reason_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_reason_review_id"), ["review_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_return_reason_working_group_record_id"), ["working_group_record_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_return_reason_revision_id"), ["revision_id"], unique=False)
    # Earlier returns become one reason each, bound to the revision that followed them, with no answer
    # (none was asked for then); a return not yet followed by a revision is open and must be answered.
    op.execute(
        "INSERT INTO return_reason (plan_id, review_id, number, text, returned_at, revision_id) "
        "SELECT plan_id, id, 1, reasons, reviewed_at, "
        + NEXT_REVISION.format(table="bureau_review", when="reviewed_at")
        + " FROM bureau_review WHERE decision = 'return' ORDER BY bureau_review.id"
    )
    op.execute(
        "INSERT INTO return_reason (plan_id, working_group_record_id, number, text, returned_at, revision_id) "
        "SELECT plan_id, id, 1, COALESCE(findings, ''), recorded_at, "
        + NEXT_REVISION.format(table="working_group_record", when="recorded_at")
        + " FROM working_group_record WHERE decision = 'revise' ORDER BY working_group_record.id"
    )


def downgrade():
    with op.batch_alter_table("return_reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_reason_revision_id"))
        batch_op.drop_index(batch_op.f("ix_return_reason_working_group_record_id"))
        batch_op.drop_index(batch_op.f("ix_return_reason_review_id"))
        batch_op.drop_index(batch_op.f("ix_return_reason_plan_id"))
    op.drop_table("return_reason")
