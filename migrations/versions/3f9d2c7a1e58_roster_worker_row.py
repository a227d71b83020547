"""roster: each worker keeps its row in the exported roster

A worker page and the execution services' messages name the worker's row in the exported roster (the
header is row 1: the plan's workers in import order, by id, from row 2). It was counted on every view;
it is now a column set at import and renumbered when workers are removed, unique within the plan. Rows
already stored are numbered here, each plan's workers by id, as the count gave them.

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


def downgrade():
    with op.batch_alter_table("roster_worker", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_worker_row")
        batch_op.drop_column("roster_row")
