"""objection handling: receipt code, status, reply, and the steps 受理 → 核实 → 答复 → 办结

Revision ID: 935634ae82fc
Revises: 4b8e1f27c6a9
Create Date: 2026-12-07 05:40:00.000000

Objections raised before this revision get a fresh random receipt code and stand at 待受理.
"""

import secrets

import sqlalchemy as sa
from alembic import op

# approvals/rules/receipt.py when this revision was written; fixed here on purpose
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12


# revision identifiers, used by Alembic.
revision = "935634ae82fc"
down_revision = "4b8e1f27c6a9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_code", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=16), server_default="received", nullable=False))
        batch_op.add_column(sa.Column("reply", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replied_at", sa.DateTime(), nullable=True))
    objection = sa.table("objection", sa.column("id", sa.Integer), sa.column("receipt_code", sa.String))
    bind = op.get_bind()
    codes = set()
    for (objection_id,) in bind.execute(sa.select(objection.c.id)).all():
        code = ""
        while not code or code in codes:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        codes.add(code)
        bind.execute(objection.update().where(objection.c.id == objection_id).values(receipt_code=code))
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.alter_column("receipt_code", existing_type=sa.String(length=12), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_objection_receipt_code"), ["receipt_code"])

    op.create_table(
        "objection_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"], ["objection.id"], name=op.f("fk_objection_step_objection_id_objection")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_objection_step_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_step")),
    )
    with op.batch_alter_table("objection_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objection_step_objection_id"), ["objection_id"], unique=False)


def downgrade():
    with op.batch_alter_table("objection_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_step_objection_id"))
    op.drop_table("objection_step")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_objection_receipt_code"), type_="unique")
        batch_op.drop_column("replied_at")
        batch_op.drop_column("reply")
        batch_op.drop_column("status")
        batch_op.drop_column("receipt_code")
