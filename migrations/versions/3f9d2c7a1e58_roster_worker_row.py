"""roster: each worker keeps its row in the exported roster, and the roster is paged by it

A worker page and the execution services' messages name the worker's row in the exported roster (the
header is row 1: the plan's workers in import order, by id, from row 2). It was counted on every view;
it is now a column set at import and renumbered when workers are removed, unique within the plan. Rows
already stored are numbered here, each plan's workers by id, as the count gave them.

The roster's filters list a plan's workers by row: their indexes end in the row instead of the id, so
PostgreSQL reads the plan's range of them rather than the primary key filtered on the plan. The searches
by the start of a name or an ID number get PostgreSQL's pattern operator class (LIKE 'q%' as a range of
the index whatever the database's collation); SQLite's indexes are as they were for them.

Revision ID: 3f9d2c7a1e58
Revises: b8e2f4a6c1d3
Create Date: 2026-12-08 00:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3f9d2c7a1e58"
down_revision = "b8e2f4a6c1d3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("roster_row", sa.Integer(), nullable=True))
    # One statement for every plan (a window over each plan's workers by id; SQLite 3.33+ and PostgreSQL
    # both take UPDATE … FROM): row 2 is the plan's first worker.
    op.execute(
        "UPDATE roster_worker SET roster_row = numbered.n + 1 FROM "
        "(SELECT id, row_number() OVER (PARTITION BY plan_id ORDER BY id) AS n FROM roster_worker) AS numbered "
        "WHERE roster_worker.id = numbered.id"
    )
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.alter_column("roster_row", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index("ix_roster_worker_row", ["plan_id", "roster_row"], unique=True,
                              postgresql_include=["id"])
    _indexes("roster_row", "varchar_pattern_ops")
    op.create_index("ix_roster_worker_id_prefix", "roster_worker", ["plan_id", "id_number"],
                    postgresql_ops={"id_number": "varchar_pattern_ops"})


def downgrade():
    op.drop_index("ix_roster_worker_id_prefix", table_name="roster_worker")
    _indexes("id", None)
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_worker_row")
        batch_op.drop_column("roster_row")


# The partial indexes of the roster's filters on one fact (approvals/models/roster.py flag_index).
FLAGS = {"excluded": ("in_scope", False), "protected": ("protected", True), "art42": ("art42", True),
         "couple": ("couple", True), "unreachable": ("unreachable", True), "warnings": ("has_warnings", True),
         "reached_retirement": ("reached_retirement", True)}


def _indexes(order, name_ops):
    """The filters' indexes ending in `order` (the row, or the id before), the name search's with `name_ops`."""
    for name, (column, value) in FLAGS.items():
        op.drop_index(f"ix_roster_worker_{name}", table_name="roster_worker")
        op.create_index(f"ix_roster_worker_{name}", "roster_worker", ["plan_id", order],
                        sqlite_where=sa.text(f"{column} = {int(value)}"),
                        postgresql_where=sa.text(column if value else f"NOT {column}"))
    op.drop_index("ix_roster_worker_plan_channel", table_name="roster_worker")
    op.create_index("ix_roster_worker_plan_channel", "roster_worker", ["plan_id", "channel", order])
    op.drop_index("ix_roster_worker_name", table_name="roster_worker")
    op.create_index("ix_roster_worker_name", "roster_worker", ["plan_id", "name"],
                    **({"postgresql_ops": {"name": name_ops}} if name_ops else {}))
