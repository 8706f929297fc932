"""reports: background jobs drafting the results report; files on the public results page

Revision ID: 0006_reports
Revises: 0005_coding
Create Date: 2026-12-01 13:20:43.199897

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_reports'
down_revision = '0005_coding'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('published_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('report', 'download', name='filekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('size > 0', name=op.f('ck_published_files_size_positive')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_published_files_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_published_files_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_files'))
    )
    with op.batch_alter_table('published_files', schema=None) as batch_op:
        batch_op.create_index('ix_published_files_process_kind_position', ['process_id', 'kind', 'position'], unique=False)
        batch_op.create_index('uq_published_files_one_report', ['process_id'], unique=True, sqlite_where=sa.text("kind = 'report'"), postgresql_where=sa.text("kind = 'report'"))

    op.create_table('report_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('export_sha256', sa.String(length=64), nullable=True),
    sa.Column('result_size', sa.Integer(), nullable=True),
    sa.Column('result', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_report_jobs_attempts_not_negative')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_report_jobs_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_report_jobs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_jobs'))
    )
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_jobs_process_id'), ['process_id'], unique=False)
        batch_op.create_index('ix_report_jobs_status_requested_at', ['status', 'requested_at'], unique=False)



def downgrade():
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_report_jobs_status_requested_at')
        batch_op.drop_index(batch_op.f('ix_report_jobs_process_id'))

    op.drop_table('report_jobs')
    with op.batch_alter_table('published_files', schema=None) as batch_op:
        batch_op.drop_index('uq_published_files_one_report', sqlite_where=sa.text("kind = 'report'"), postgresql_where=sa.text("kind = 'report'"))
        batch_op.drop_index('ix_published_files_process_kind_position')

    op.drop_table('published_files')
