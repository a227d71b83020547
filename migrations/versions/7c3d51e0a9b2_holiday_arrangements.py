"""the State Council's holiday arrangement for years chinese-calendar does not know, as entered

Revision ID: 7c3d51e0a9b2
Revises: 33b08150a05d
Create Date: 2026-12-07 14:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7c3d51e0a9b2"
down_revision = "33b08150a05d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "holiday_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["set_by_id"], ["user_account.id"], name=op.f("fk_holiday_year_set_by_id_user_account")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_year")),
    )
    op.create_table(
        "holiday_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["year"], ["holiday_year.year"], name=op.f("fk_holiday_day_year_holiday_year")),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holiday_day")),
    )
    op.create_index(op.f("ix_holiday_day_year"), "holiday_day", ["year"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_holiday_day_year"), table_name="holiday_day")
    op.drop_table("holiday_day")
    op.drop_table("holiday_year")
