"""Roster filter facts and indexes; process sources

The plan page filters a roster by contract type, protected group, Art 42, couple, unreachable and
warnings: these become columns computed at import (with one index over them, and a partial index of
the workers with each fact), and rows already stored get them here from what they hold, by the same
rules. Process versions keep their files.

Revision ID: b52ad681d270
Revises: 15d042320159
Create Date: 2026-11-26 06:17:23.950958

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b52ad681d270'
down_revision = "15d042320159"
branch_labels = None
depends_on = None

FLAGS = ('protected', 'art42', 'couple', 'unreachable', 'has_warnings')
# Partial indexes (plan_id, id) of the workers with one fact (approvals/models/roster.py flag_index).
FLAG_INDEXES = {'excluded': ('in_scope', False), 'protected': ('protected', True), 'art42': ('art42', True),
                'couple': ('couple', True), 'unreachable': ('unreachable', True), 'warnings': ('has_warnings', True)}


def upgrade():
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=True))

    with op.batch_alter_table('roster_worker', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_type', sa.String(length=20), nullable=True))
        for name in FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_roster_worker_filters', ['plan_id', 'channel', 'contract_type', 'in_scope', 'protected', 'art42', 'couple', 'unreachable', 'has_warnings'], unique=False)
        batch_op.create_index('ix_roster_worker_name', ['plan_id', 'name'], unique=False)
        batch_op.create_index('ix_roster_worker_plan', ['plan_id', 'id'], unique=False)
        for name, (column, value) in FLAG_INDEXES.items():
            batch_op.create_index(f'ix_roster_worker_{name}', ['plan_id', 'id'], unique=False,
                                  sqlite_where=sa.text(f'{column} = {int(value)}'),
                                  postgresql_where=sa.text(column if value else f'NOT {column}'))

    _fill_facts()

    with op.batch_alter_table('roster_worker', schema=None) as batch_op:
        for name in FLAGS:
            batch_op.alter_column(name, server_default=None)


def _fill_facts():
    """The new columns of rows already stored, from their data, by the import's rules."""
    from approvals.rules.resident_id import IdProblem, parse_id
    from approvals.rules.roster import WorkerFacts, immune_under_art42, protected_group

    bind = op.get_bind()
    plan = sa.table('plan', sa.column('id', sa.Integer), sa.column('content', sa.JSON))
    worker = sa.table('roster_worker', sa.column('id', sa.Integer), sa.column('plan_id', sa.Integer),
                      sa.column('id_number', sa.String), sa.column('name', sa.String),
                      sa.column('channel', sa.String), sa.column('hire_date', sa.Date),
                      sa.column('retirement_date', sa.Date), sa.column('data', sa.JSON),
                      sa.column('warnings', sa.JSON), sa.column('contract_type', sa.String),
                      *(sa.column(name, sa.Boolean) for name in FLAGS))
    plan_ids = bind.execute(sa.select(worker.c.plan_id).distinct()).scalars().all()
    for plan_id in plan_ids:
        content = bind.execute(sa.select(plan.c.content).where(plan.c.id == plan_id)).scalar() or {}
        try:
            reference = date.fromisoformat(str((content.get('severance') or {}).get('reference_date')))
        except ValueError:
            reference = date.today()
        rows = bind.execute(sa.select(worker.c.id, worker.c.id_number, worker.c.name, worker.c.channel,
                                      worker.c.hire_date, worker.c.retirement_date, worker.c.data,
                                      worker.c.warnings).where(worker.c.plan_id == plan_id)).all()
        numbers = {row.id_number for row in rows}
        updates = []
        for row in rows:
            data = row.data or {}
            facts = WorkerFacts(row=0, id_number=row.id_number, name=row.name, channel=row.channel,
                                hire_date=row.hire_date, retirement_date=row.retirement_date,
                                model_worker=data.get('model_worker'), skill_level=data.get('skill_level'),
                                military_family=data.get('military_family'),
                                disability_certificate=data.get('disability_card'),
                                pregnancy_or_nursing=bool(data.get('pregnancy')),
                                work_injury=bool(data.get('work_injury')))
            updates.append({'row_id': row.id, 'contract_type': data.get('contract_type'),
                            'protected': bool(protected_group(facts)), 'art42': immune_under_art42(facts, reference),
                            'couple': _number(data.get('spouse_id_number'), parse_id, IdProblem) in numbers,
                            'unreachable': data.get('contact_status') == 'unreachable',
                            'has_warnings': bool(row.warnings)})
        if updates:
            bind.execute(worker.update().where(worker.c.id == sa.bindparam('row_id')).values(
                contract_type=sa.bindparam('contract_type'),
                **{name: sa.bindparam(name) for name in FLAGS}), updates)


def _number(value, parse_id, problem):
    parsed = parse_id(str(value)) if value else None
    return None if parsed is None or isinstance(parsed, problem) else parsed.number


def downgrade():
    with op.batch_alter_table('roster_worker', schema=None) as batch_op:
        for name in reversed(FLAG_INDEXES):
            batch_op.drop_index(f'ix_roster_worker_{name}')
        batch_op.drop_index('ix_roster_worker_plan')
        batch_op.drop_index('ix_roster_worker_name')
        batch_op.drop_index('ix_roster_worker_filters')
        for name in reversed(FLAGS):
            batch_op.drop_column(name)
        batch_op.drop_column('contract_type')

    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.drop_column('sources')
