"""roster work start and spouse: 参加工作时间 apart from 入企时间, and the spouse's ID number as a column

参加工作时间 (the first day of work anywhere: total working years) was read as 入企时间 (service at this
employer, 劳动合同法 Art 47); it becomes its own column. The spouse's ID number gets a column and an
index per enterprise, so that dual-worker couples are found across an enterprise's plans; rows already
stored get it from their data, where it is a valid ID number (as the import reads it).

Revision ID: e8fc25c2741c
Revises: 0b546237a0ed
Create Date: 2026-12-07 05:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e8fc25c2741c"
down_revision = "0b546237a0ed"
branch_labels = None
depends_on = None

BATCH = 5000  # rows read at a time when filling the spouse column


def upgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("spouse_id_number", sa.String(length=18), nullable=True))
        batch_op.create_index("ix_roster_worker_spouse", ["enterprise_id", "spouse_id_number"], unique=False)
    _fill_spouses()


def _fill_spouses():
    from approvals.rules.resident_id import IdProblem, parse_id

    bind = op.get_bind()
    worker = sa.table("roster_worker", sa.column("id", sa.Integer), sa.column("data", sa.JSON),
                      sa.column("spouse_id_number", sa.String))
    last = 0
    while True:
        rows = bind.execute(sa.select(worker.c.id, worker.c.data).where(worker.c.id > last)
                            .order_by(worker.c.id).limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1].id
        updates = []
        for row in rows:
            given = (row.data or {}).get("spouse_id_number")
            parsed = parse_id(str(given)) if given else None
            if parsed is not None and not isinstance(parsed, IdProblem):
                updates.append({"row_id": row.id, "spouse": parsed.number})
        if updates:
            bind.execute(worker.update().where(worker.c.id == sa.bindparam("row_id"))
                         .values(spouse_id_number=sa.bindparam("spouse")), updates)


def downgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_worker_spouse")
        batch_op.drop_column("spouse_id_number")
        batch_op.drop_column("work_start")
