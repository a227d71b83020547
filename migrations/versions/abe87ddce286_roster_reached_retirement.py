"""roster: workers at or past the statutory retirement age

A worker whose statutory retirement date is on or before the plan's reference date is flagged (the
contract ends: 劳动合同法 Art 44(2), 实施条例 Art 21), filtered on through a partial index, and counted
in the plan's roster summary. Rows already stored get the flag from the retirement date they hold;
the next import or edit of a roster recomputes every date under the current rules.

Revision ID: abe87ddce286
Revises: fe6f364e122a
Create Date: 2026-12-07 05:50:00.000000

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "abe87ddce286"
down_revision = "fe6f364e122a"
branch_labels = None
depends_on = None

plan = sa.table("plan", sa.column("id", sa.Integer), sa.column("content", sa.JSON),
                sa.column("roster_summary", sa.JSON))
worker = sa.table("roster_worker", sa.column("plan_id", sa.Integer), sa.column("retirement_date", sa.Date),
                  sa.column("reached_retirement", sa.Boolean))


def upgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reached_retirement", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_roster_worker_reached_retirement", ["plan_id", "id"], unique=False,
                              sqlite_where=sa.text("reached_retirement = 1"),
                              postgresql_where=sa.text("reached_retirement"))
    _fill()
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.alter_column("reached_retirement", server_default=None)


def _reference(content):
    """The plan's reference date (基准日), as approvals/services/roster.py reads it."""
    try:
        return date.fromisoformat(str(((content or {}).get("severance") or {}).get("reference_date")))
    except ValueError:
        return date.today()


def _fill():
    bind = op.get_bind()
    for plan_id, content, summary in bind.execute(sa.select(plan.c.id, plan.c.content, plan.c.roster_summary)).all():
        reached = sa.and_(worker.c.plan_id == plan_id, worker.c.retirement_date <= _reference(content))
        bind.execute(worker.update().where(reached).values(reached_retirement=True))
        if summary:
            count = bind.execute(sa.select(sa.func.count()).select_from(worker).where(reached)).scalar() or 0
            values = {**summary, "reached_retirement": int(count)}
            bind.execute(plan.update().where(plan.c.id == plan_id).values(roster_summary=values))


def downgrade():
    bind = op.get_bind()
    for plan_id, summary in bind.execute(sa.select(plan.c.id, plan.c.roster_summary)).all():
        if summary and "reached_retirement" in summary:
            values = {key: value for key, value in summary.items() if key != "reached_retirement"}
            bind.execute(plan.update().where(plan.c.id == plan_id).values(roster_summary=values))
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_worker_reached_retirement")
        batch_op.drop_column("reached_retirement")
