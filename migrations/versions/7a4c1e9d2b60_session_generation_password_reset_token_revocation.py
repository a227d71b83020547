"""Session generation and forced password change on users; last use, revocation and hint on API tokens

Every login session carries the user's session generation: bumping it (logout, password change or
reset, deactivation, reactivation) ends them all. An administrator's password reset makes the user
choose a new one at the next login. API tokens record their last use and their revocation, and keep
their first characters so that their owner can tell them apart; tokens issued before this have none.

Revision ID: 7a4c1e9d2b60
Revises: 5e0c2a7d9b41
Create Date: 2026-12-07 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a4c1e9d2b60'
down_revision = '5e0c2a7d9b41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hint', sa.String(length=8), nullable=True))


def downgrade():
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35 and later): a batch would copy user_account and drop the
    # original, which the rows referring to it forbid.
    for column in ('hint', 'revoked_at', 'last_used_at'):
        op.drop_column('api_token', column)
    for column in ('must_change_password', 'session_generation'):
        op.drop_column('user_account', column)
