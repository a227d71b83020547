"""stored documents: each official document's rendering kept by its content key, and the plans whose
documents wait for the worker to render them

Revision ID: d7a3c5e91b2f
Revises: c4e8a1f20b6d
Create Date: 2026-12-07 17:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d7a3c5e91b2f"
down_revision = "c4e8a1f20b6d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("render_seconds", sa.Float(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "kind", "record_id", "content_key"),
    )
    op.create_index(op.f("ix_stored_document_plan_id"), "stored_document", ["plan_id"], unique=False)
    op.create_table(
        "document_job",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    # Every plan that already has a document (a vote, review or group record, or its publication): the
    # worker renders them once after the upgrade, before the first download asks.
    op.execute(
        "INSERT INTO document_job (plan_id, requested_at) SELECT id, CURRENT_TIMESTAMP FROM plan "
        "WHERE published_at IS NOT NULL OR id IN (SELECT plan_id FROM congress_vote) "
        "OR id IN (SELECT plan_id FROM bureau_review) OR id IN (SELECT plan_id FROM working_group_record)"
    )


def downgrade():
    op.drop_table("document_job")
    op.drop_index(op.f("ix_stored_document_plan_id"), table_name="stored_document")
    op.drop_table("stored_document")
