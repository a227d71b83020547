"""review queue indexes

The bureau's queue sorts and filters thousands of plans by stage, risk and enterprise, by the open
review task and by the review timer: covering indexes, so that it reads neither the plan documents
nor the engine state stored in the same rows. `ix_plan_queue` starts with the status and replaces
`ix_plan_status`; `ix_human_task_plan_step` starts with the plan and replaces `ix_human_task_plan_id`.

Revision ID: 189866b4a9a0
Revises: c3101fcbcfcd
Create Date: 2026-11-26 06:30:09.437741

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "189866b4a9a0"
down_revision = "c3101fcbcfcd"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_status"))
        batch_op.create_index("ix_plan_queue", ["status", "risk_level", "enterprise_id"], unique=False)

    with op.batch_alter_table("workflow_instance", schema=None) as batch_op:
        batch_op.create_index("ix_workflow_instance_timer", ["plan_id", "next_timer_at"], unique=False)

    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_human_task_plan_id"))
        batch_op.create_index(
            "ix_human_task_plan_step", ["plan_id", "bpmn_id", "completed_at", "ready_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_human_task_plan_step")
        batch_op.create_index(batch_op.f("ix_human_task_plan_id"), ["plan_id"], unique=False)

    with op.batch_alter_table("workflow_instance", schema=None) as batch_op:
        batch_op.drop_index("ix_workflow_instance_timer")

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_queue")
        batch_op.create_index(batch_op.f("ix_plan_status"), ["status"], unique=False)
