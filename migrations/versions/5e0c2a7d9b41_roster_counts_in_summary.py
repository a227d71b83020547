"""Roster counts in the plan's roster summary; one narrow channel index

The warnings tab's counts (protected, Art 42, couples, unreachable, with warnings) are computed at
import into the plan's roster summary, so the nine-column index that counted them on every page view
goes, with the channel index no query used; the channel filter gets (plan_id, channel, id). Plans
imported before this get their counts here, counted from their stored rows.

Revision ID: 5e0c2a7d9b41
Revises: 38a893b5edc3
Create Date: 2026-11-26 09:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0c2a7d9b41'
down_revision = '38a893b5edc3'
branch_labels = None
depends_on = None

COUNTS = ('protected', 'protected_terminated', 'art42', 'couple', 'couple_terminated', 'unreachable',
          'with_warnings')
FILTER_COLUMNS = ['plan_id', 'channel', 'contract_type', 'in_scope', 'protected', 'art42', 'couple', 'unreachable',
                  'has_warnings']

plan = sa.table('plan', sa.column('id', sa.Integer), sa.column('roster_summary', sa.JSON))
worker = sa.table('roster_worker', sa.column('plan_id', sa.Integer), sa.column('channel', sa.String),
                  sa.column('in_scope', sa.Boolean), sa.column('protected', sa.Boolean),
                  sa.column('art42', sa.Boolean), sa.column('couple', sa.Boolean),
                  sa.column('unreachable', sa.Boolean), sa.column('has_warnings', sa.Boolean))


def upgrade():
    with op.batch_alter_table('roster_worker', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_worker_filters')
        batch_op.drop_index('ix_roster_worker_channel')
        batch_op.create_index('ix_roster_worker_plan_channel', ['plan_id', 'channel', 'id'], unique=False)
    _fill_counts()


def _fill_counts():
    """The counts of every plan with an imported roster, as refresh_plan_roster computes them."""
    bind = op.get_bind()
    terminated = sa.and_(worker.c.channel == 'termination', worker.c.in_scope)

    def count(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    counted = bind.execute(
        sa.select(worker.c.plan_id, count(worker.c.protected), count(sa.and_(worker.c.protected, terminated)),
                  count(worker.c.art42), count(worker.c.couple), count(sa.and_(worker.c.couple, terminated)),
                  count(worker.c.unreachable), count(worker.c.has_warnings))
        .group_by(worker.c.plan_id)
    ).all()
    by_plan = {row[0]: dict(zip(COUNTS, (int(value) for value in row[1:]))) for row in counted}
    for plan_id, summary in bind.execute(sa.select(plan.c.id, plan.c.roster_summary)).all():
        if summary:
            values = {**summary, **dict.fromkeys(COUNTS, 0), **by_plan.get(plan_id, {})}
            bind.execute(plan.update().where(plan.c.id == plan_id).values(roster_summary=values))


def downgrade():
    bind = op.get_bind()
    for plan_id, summary in bind.execute(sa.select(plan.c.id, plan.c.roster_summary)).all():
        if summary:
            values = {key: value for key, value in summary.items() if key not in COUNTS}
            bind.execute(plan.update().where(plan.c.id == plan_id).values(roster_summary=values))
    with op.batch_alter_table('roster_worker', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_worker_plan_channel')
        batch_op.create_index('ix_roster_worker_channel', ['channel'], unique=False)
        batch_op.create_index('ix_roster_worker_filters', FILTER_COLUMNS, unique=False)
