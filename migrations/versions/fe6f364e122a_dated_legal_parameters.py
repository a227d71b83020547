"""dated legal parameters and county minimum-wage tiers; the plan keeps the parameters it used

The per-city minimum wage (wage_parameter.minimum_monthly_wage) is no longer read: severance is floored
at the tier standard in force on the termination date (劳动合同法实施条例第二十七条). The column becomes
nullable and keeps the figures entered so far, shown on the parameters page as the earlier entries;
the new values are seeded by `flask parameters seed` (README, operator set-up).

Revision ID: fe6f364e122a
Revises: e5c2a9d4f17b
Create Date: 2026-12-07 05:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "fe6f364e122a"
down_revision = "e5c2a9d4f17b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "parameter_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user_account.id"], name=op.f("fk_parameter_value_set_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parameter_value")),
    )
    op.create_index("ix_parameter_value_key", "parameter_value", ["key", "effective_from"], unique=False)
    op.create_table(
        "region_wage_tier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_region_wage_tier_region_code_region")),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user_account.id"], name=op.f("fk_region_wage_tier_set_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_wage_tier")),
    )
    op.create_index("ix_region_wage_tier_region", "region_wage_tier", ["region_code", "effective_from"], unique=False)
    op.add_column("plan", sa.Column("parameters_used", sa.JSON(), nullable=True))
    with op.batch_alter_table("wage_parameter", schema=None) as batch_op:
        batch_op.alter_column("minimum_monthly_wage", existing_type=sa.Numeric(precision=12, scale=2), nullable=True)


def downgrade():
    op.execute("UPDATE wage_parameter SET minimum_monthly_wage = 0 WHERE minimum_monthly_wage IS NULL")
    with op.batch_alter_table("wage_parameter", schema=None) as batch_op:
        batch_op.alter_column("minimum_monthly_wage", existing_type=sa.Numeric(precision=12, scale=2), nullable=False)
    # Plain ALTER TABLE (SQLite ≥ 3.35 has DROP COLUMN): a batch copy of the plan table would drop a
    # table other tables reference.
    op.drop_column("plan", "parameters_used")
    op.drop_index("ix_region_wage_tier_region", table_name="region_wage_tier")
    op.drop_table("region_wage_tier")
    op.drop_index("ix_parameter_value_key", table_name="parameter_value")
    op.drop_table("parameter_value")
