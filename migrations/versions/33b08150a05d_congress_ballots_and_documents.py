"""congress ballots and documents: ballots issued/returned/valid, secret ballot, chair, scrutineers;
the session's minutes, resolution and signed attendance sheet (PDF)

Revision ID: 33b08150a05d
Revises: 935634ae82fc
Create Date: 2026-12-07 05:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "33b08150a05d"
down_revision = "935634ae82fc"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: a vote recorded before these were asked for keeps them empty ("not recorded").
    with op.batch_alter_table("congress_vote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ballots_issued", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ballots_returned", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ballots_valid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("secret_ballot", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("chair", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("scrutineers", sa.JSON(), nullable=True))
    op.create_table(
        "congress_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_congress_document_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["congress_vote.id"], name=op.f("fk_congress_document_vote_id_congress_vote")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_congress_document_uploaded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_congress_document")),
    )
    with op.batch_alter_table("congress_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_congress_document_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_congress_document_vote_id"), ["vote_id"], unique=False)


def downgrade():
    with op.batch_alter_table("congress_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_congress_document_vote_id"))
        batch_op.drop_index(batch_op.f("ix_congress_document_plan_id"))
    op.drop_table("congress_document")
    with op.batch_alter_table("congress_vote", schema=None) as batch_op:
        batch_op.drop_column("scrutineers")
        batch_op.drop_column("chair")
        batch_op.drop_column("secret_ballot")
        batch_op.drop_column("ballots_valid")
        batch_op.drop_column("ballots_returned")
        batch_op.drop_column("ballots_issued")
