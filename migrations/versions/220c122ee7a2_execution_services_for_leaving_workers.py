"""execution services for leaving workers: employment services, employment-difficulty persons with their
filing and one-to-one assistance, households and their members, posts taken up and self-employment support
(冀人社发〔2018〕38号 §四)

Revision ID: 220c122ee7a2
Revises: d7a3c5e91b2f
Create Date: 2026-12-07 17:35:39.405949

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "220c122ee7a2"
down_revision = "d7a3c5e91b2f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "difficulty_assistance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("provided_on", sa.Date(), nullable=False),
        sa.Column("helper", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_difficulty_assistance_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_difficulty_assistance_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_difficulty_assistance")),
    )
    with op.batch_alter_table("difficulty_assistance", schema=None) as batch_op:
        batch_op.create_index("ix_difficulty_assistance_worker", ["plan_id", "id_number"], unique=False)

    op.create_table(
        "difficulty_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("file_number", sa.String(length=100), nullable=True),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["user_account.id"], name=op.f("fk_difficulty_person_confirmed_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["user_account.id"], name=op.f("fk_difficulty_person_filed_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_difficulty_person_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_difficulty_person")),
        sa.UniqueConstraint("plan_id", "id_number", name=op.f("uq_difficulty_person_plan_id")),
    )
    with op.batch_alter_table("difficulty_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_difficulty_person_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "execution_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("provided_on", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_execution_service_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_execution_service_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_execution_service")),
    )
    with op.batch_alter_table("execution_service", schema=None) as batch_op:
        batch_op.create_index("ix_execution_service_worker", ["plan_id", "id_number"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_household_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_household_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "self_employment_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_self_employment_support_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_self_employment_support_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_employment_support")),
    )
    with op.batch_alter_table("self_employment_support", schema=None) as batch_op:
        batch_op.create_index("ix_self_employment_support_worker", ["plan_id", "id_number"], unique=False)

    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("employed", sa.Boolean(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_household_member_household_id_household")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_household_member_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_household_member_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
        sa.UniqueConstraint("plan_id", "id_number", name=op.f("uq_household_member_plan_id")),
    )
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_member_household_id"), ["household_id"], unique=False)

    op.create_table(
        "execution_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("post", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["household_member.id"], name=op.f("fk_execution_post_member_id_household_member")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_execution_post_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_execution_post_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_execution_post")),
    )
    with op.batch_alter_table("execution_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_execution_post_member_id"), ["member_id"], unique=False)
        batch_op.create_index("ix_execution_post_worker", ["plan_id", "id_number"], unique=False)


def downgrade():
    with op.batch_alter_table("execution_post", schema=None) as batch_op:
        batch_op.drop_index("ix_execution_post_worker")
        batch_op.drop_index(batch_op.f("ix_execution_post_member_id"))

    op.drop_table("execution_post")
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_member_household_id"))

    op.drop_table("household_member")
    with op.batch_alter_table("self_employment_support", schema=None) as batch_op:
        batch_op.drop_index("ix_self_employment_support_worker")

    op.drop_table("self_employment_support")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_plan_id"))

    op.drop_table("household")
    with op.batch_alter_table("execution_service", schema=None) as batch_op:
        batch_op.drop_index("ix_execution_service_worker")

    op.drop_table("execution_service")
    with op.batch_alter_table("difficulty_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_difficulty_person_plan_id"))

    op.drop_table("difficulty_person")
    with op.batch_alter_table("difficulty_assistance", schema=None) as batch_op:
        batch_op.drop_index("ix_difficulty_assistance_worker")

    op.drop_table("difficulty_assistance")
