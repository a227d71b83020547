"""document numbers per issuer and year: the register of issued documents (发文登记)

A published plan and a review opinion take their 文号 when they are made, counted per issuer (the enterprise,
the bureau) and year, and keep it. The documents issued before keep the numbers they were printed with (the
plan's or the review's id, of the year of the document's date in China), so a re-rendering prints what was
sent; the issuer's next number follows the highest it holds.

Revision ID: 5ade01ef986b
Revises: 7c3d51e0a9b2
Create Date: 2026-12-07 14:20:00.000000

"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5ade01ef986b"
down_revision = "7c3d51e0a9b2"
branch_labels = None
depends_on = None

CHINA = timedelta(hours=8)  # Asia/Shanghai, without daylight saving since 1991


def upgrade():
    op.create_table(
        "document_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_document_number_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_number")),
        sa.UniqueConstraint("issuer", "year", "serial", name=op.f("uq_document_number_issuer")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_document_number_kind")),
    )
    with op.batch_alter_table("document_number", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_number_plan_id"), ["plan_id"], unique=False)
    _number_issued_documents()


def _prefix(code):
    """What every region below `code` shares (approvals.models.reference.region_prefix)."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def _number_issued_documents():
    bind = op.get_bind()
    numbers = sa.table("document_number", *(sa.column(name) for name in
                       ("kind", "record_id", "plan_id", "issuer", "year", "serial", "issued_at")))  # fmt: skip
    plan = sa.table("plan", sa.column("id", sa.Integer), sa.column("enterprise_id", sa.Integer),
                    sa.column("published_at", sa.DateTime))  # fmt: skip
    review = sa.table("bureau_review", sa.column("id", sa.Integer), sa.column("plan_id", sa.Integer),
                      sa.column("reviewer_id", sa.Integer), sa.column("reviewed_at", sa.DateTime))  # fmt: skip
    enterprise = sa.table("enterprise", sa.column("id", sa.Integer), sa.column("region_code", sa.String))
    grant = sa.table("role_grant", sa.column("user_id", sa.Integer), sa.column("role", sa.String),
                     sa.column("region_code", sa.String))  # fmt: skip
    rows = []
    published = sa.select(plan.c.id, plan.c.enterprise_id, plan.c.published_at).where(plan.c.published_at.is_not(None))
    for plan_id, enterprise_id, published_at in bind.execute(published):
        rows.append({"kind": "published-plan", "record_id": plan_id, "plan_id": plan_id,
                     "issuer": f"enterprise:{enterprise_id}", "year": (published_at + CHINA).year,
                     "serial": plan_id, "issued_at": published_at})  # fmt: skip
    grants = {}
    bureau = sa.select(grant.c.user_id, grant.c.region_code).where(grant.c.role == "bureau",
                                                                   grant.c.region_code.is_not(None))  # fmt: skip
    for user_id, code in bind.execute(bureau):
        grants.setdefault(user_id, []).append(code)
    reviews = (sa.select(review.c.id, review.c.plan_id, review.c.reviewer_id, review.c.reviewed_at,
                         enterprise.c.region_code)
               .join_from(review, plan, plan.c.id == review.c.plan_id)
               .join(enterprise, enterprise.c.id == plan.c.enterprise_id))  # fmt: skip
    for review_id, plan_id, reviewer_id, reviewed_at, region in bind.execute(reviews):
        codes = [code for code in grants.get(reviewer_id, []) if region.startswith(_prefix(code))]
        rows.append({"kind": "review-opinion", "record_id": review_id, "plan_id": plan_id,
                     "issuer": f"bureau:{max(codes, key=lambda c: len(_prefix(c))) if codes else ''}", "year": (reviewed_at + CHINA).year,
                     "serial": review_id, "issued_at": reviewed_at})  # fmt: skip
    if rows:
        op.bulk_insert(numbers, rows)


def downgrade():
    with op.batch_alter_table("document_number", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_number_plan_id"))
    op.drop_table("document_number")
