"""accessibility: feedback on barriers; a self-hosted video (e.g. DGS) with its text on pages

Revision ID: 0007_accessibility
Revises: 0006_reports
Create Date: 2026-12-01 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_accessibility'
down_revision = '0006_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accessibility_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', name='feedbackstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('page_url', sa.String(length=500), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_accessibility_feedback_done_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_feedback'))
    )
    with op.batch_alter_table('accessibility_feedback', schema=None) as batch_op:
        batch_op.create_index('ix_accessibility_feedback_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_accessibility_feedback_status_received_at', ['status', 'received_at'], unique=False)

    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_url', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('video_transcript', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('pages', schema=None) as batch_op:
        batch_op.drop_column('video_transcript')
        batch_op.drop_column('video_url')

    with op.batch_alter_table('accessibility_feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_accessibility_feedback_status_received_at')
        batch_op.drop_index('ix_accessibility_feedback_received_at')

    op.drop_table('accessibility_feedback')
