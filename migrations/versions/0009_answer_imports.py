"""answer imports: batches of `flask import-answers`, and the batch and source id of a submission

Revision ID: 0009_answer_imports
Revises: 0008_unrendered_mail
Create Date: 2026-12-06 13:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_answer_imports'
down_revision = '0008_unrendered_mail'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.CheckConstraint('row_count >= 0', name=op.f('ck_answer_imports_row_count_not_negative')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_answer_imports_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_answer_imports_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_imports'))
    )
    with op.batch_alter_table('answer_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_imports_sha256'), ['sha256'], unique=False)

    # Both nullable without a default: on PostgreSQL adding them rewrites no rows.
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('import_ref', sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f('ix_submissions_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_submissions_import_batch_id_answer_imports'), 'answer_imports', ['import_batch_id'], ['id'], ondelete='RESTRICT')


def downgrade():
    # Imported answers stay (as offline contributions); only the mark of their batch goes.
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_submissions_import_batch_id_answer_imports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_submissions_import_batch_id'))
        batch_op.drop_column('import_ref')
        batch_op.drop_column('import_batch_id')

    with op.batch_alter_table('answer_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_imports_sha256'))

    op.drop_table('answer_imports')
