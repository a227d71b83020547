"""execution ledger: one record per worker of a published plan (agreement, end of the relation and its
certificate, severance due at the end and paid, arrears, transfers, unemployment list, outcome), and the
moment a plan was carried out (plan.closed_at)

Revision ID: a7d3e9c51b20
Revises: 220c122ee7a2
Create Date: 2026-12-07 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7d3e9c51b20"
down_revision = "220c122ee7a2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "execution_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("agreement_kind", sa.String(length=30), nullable=True),
        sa.Column("agreement_signed_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("certificate_issued_on", sa.Date(), nullable=True),
        sa.Column("severance_due", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("severance_paid", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("severance_paid_on", sa.Date(), nullable=True),
        sa.Column("payment_reference", sa.String(length=100), nullable=True),
        sa.Column("arrears_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("arrears_settled_on", sa.Date(), nullable=True),
        sa.Column("insurance_transferred_on", sa.Date(), nullable=True),
        sa.Column("file_transferred_on", sa.Date(), nullable=True),
        sa.Column("unemployment_listed_on", sa.Date(), nullable=True),
        sa.Column("outcome_kind", sa.String(length=30), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("entered", sa.JSON(), nullable=False),
        sa.Column("reminded", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_execution_record_plan_id_plan")),
        sa.ForeignKeyConstraint(["worker_id"], ["roster_worker.id"], name=op.f("fk_execution_record_worker_id_roster_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_execution_record")),
        sa.UniqueConstraint("plan_id", "worker_id", name=op.f("uq_execution_record_plan_id")),
    )
    op.create_index("ix_execution_record_plan", "execution_record", ["plan_id", "worker_id"], unique=False)
    # Plain ALTER TABLE, not a batch (as c4e8a1f20b6d: a batch would rebuild plan, which many tables refer to).
    op.add_column("plan", sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column("plan", "closed_at")
    op.drop_index("ix_execution_record_plan", table_name="execution_record")
    op.drop_table("execution_record")
