"""notifications about results: addresses left with consent (double opt-in) to be told when
the results are published and when a supported recommendation changes status; the
List-Unsubscribe address of a mail

Revision ID: 0015_result_subscriptions
Revises: 0014_recommendation_support
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0015_result_subscriptions'
down_revision = '0014_recommendation_support'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('result_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('results_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('told_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_result_subscriptions_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_subscriptions')),
    sa.UniqueConstraint('nonce', name=op.f('uq_result_subscriptions_nonce')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_result_subscriptions_submission_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_result_subscriptions_token_hash'))
    )
    with op.batch_alter_table('mail_outbox') as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('mail_outbox') as batch_op:
        batch_op.drop_column('list_unsubscribe')
    op.drop_table('result_subscriptions')
