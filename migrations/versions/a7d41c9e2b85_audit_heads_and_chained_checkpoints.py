"""Audit chain heads on their own rows; checkpoints numbered and chained

Each chain's head (seq, hash) moves from the plan row to audit_head (version-locked on its own), so an
event recorded in a plan's trail no longer bumps the plan's version; the system chain gets a head
too. A plan's head is taken from the plan row (what it recorded, so a tail deleted before this
migration still shows), the system chain's from its last row. Checkpoints get a number, the previous
one's signature, the SHA-256 of their heads and a signing scheme: those taken before are scheme 1
(signed over the heads alone) and numbered in the order they were taken; the "checkpoints" head row
records their count.

Revision ID: a7d41c9e2b85
Revises: 7a4c1e9d2b60
Create Date: 2026-12-07 02:30:00.000000

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d41c9e2b85'
down_revision = '7a4c1e9d2b60'
branch_labels = None
depends_on = None

plan = sa.table('plan', sa.column('id', sa.Integer), sa.column('audit_seq', sa.Integer),
                sa.column('audit_head', sa.String))
event = sa.table('audit_event', sa.column('chain', sa.String), sa.column('seq', sa.Integer),
                 sa.column('hash', sa.String))
checkpoint = sa.table('audit_checkpoint', sa.column('id', sa.Integer), sa.column('seq', sa.Integer),
                      sa.column('heads', sa.Text), sa.column('heads_hash', sa.String),
                      sa.column('prev_signature', sa.String), sa.column('scheme', sa.Integer),
                      sa.column('signature', sa.String))
head = sa.table('audit_head', sa.column('chain', sa.String), sa.column('seq', sa.Integer),
                sa.column('hash', sa.String), sa.column('version', sa.Integer))


def upgrade():
    op.create_table('audit_head',
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_head'))
    )
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heads_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('prev_signature', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('scheme', sa.Integer(), nullable=True))
    bind = op.get_bind()
    heads = [{'chain': f'plan:{pid}', 'seq': seq, 'hash': digest, 'version': 1}
             for pid, seq, digest in bind.execute(sa.select(plan.c.id, plan.c.audit_seq, plan.c.audit_head)
                                                  .where(plan.c.audit_seq > 0))]
    last = bind.execute(sa.select(event.c.seq, event.c.hash).where(event.c.chain == 'system')
                        .order_by(event.c.seq.desc()).limit(1)).first()
    if last is not None:
        heads.append({'chain': 'system', 'seq': last[0], 'hash': last[1], 'version': 1})
    signatures = [row[1] for row in bind.execute(sa.select(checkpoint.c.id, checkpoint.c.signature)
                                                 .order_by(checkpoint.c.id))]
    taken = bind.execute(sa.select(checkpoint.c.id, checkpoint.c.heads).order_by(checkpoint.c.id)).all()
    for number, (cid, signed) in enumerate(taken, start=1):
        bind.execute(checkpoint.update().where(checkpoint.c.id == cid)
                     .values(seq=number, heads_hash=hashlib.sha256(signed.encode()).hexdigest(),
                             prev_signature='', scheme=1))
    if signatures:
        heads.append({'chain': 'checkpoints', 'seq': len(signatures), 'hash': signatures[-1], 'version': 1})
    if heads:
        bind.execute(head.insert(), heads)
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('heads_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('prev_signature', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('scheme', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_checkpoint_seq'), ['seq'])
    # Plain ALTER TABLE (SQLite ≥ 3.35 has DROP COLUMN): a batch copy of the plan table would have to
    # drop it, which the foreign keys that point at it refuse.
    op.drop_column('plan', 'audit_head')
    op.drop_column('plan', 'audit_seq')


def downgrade():
    op.add_column('plan', sa.Column('audit_seq', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('plan', sa.Column('audit_head', sa.String(length=64), nullable=False, server_default=''))
    bind = op.get_bind()
    for chain, seq, digest in bind.execute(sa.select(head.c.chain, head.c.seq, head.c.hash)
                                           .where(head.c.chain.like('plan:%'))).all():
        bind.execute(plan.update().where(plan.c.id == int(chain.split(':', 1)[1]))
                     .values(audit_seq=seq, audit_head=digest))
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_checkpoint_seq'), type_='unique')
        batch_op.drop_column('scheme')
        batch_op.drop_column('prev_signature')
        batch_op.drop_column('heads_hash')
        batch_op.drop_column('seq')
    op.drop_table('audit_head')
