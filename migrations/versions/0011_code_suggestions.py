"""code suggestions: a draft report's theme taken over as a code suggests it for the theme's answers, to be accepted or rejected by an analyst

Revision ID: 0011_code_suggestions
Revises: 0010_campaign_groups
Create Date: 2026-12-06 14:11:21.721976

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_code_suggestions'
down_revision = '0010_campaign_groups'
branch_labels = None
depends_on = None


def upgrade():
    # A new table only: no existing row changes.
    op.create_table('code_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('report_job_id', sa.Integer(), nullable=True),
    sa.Column('theme_field_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=True),
    sa.Column('status', sa.Enum('open', 'accepted', 'rejected', name='suggestionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status = 'open' OR decided_at IS NOT NULL", name=op.f('ck_code_suggestions_decided_when_closed')),
    sa.CheckConstraint('theme > 0', name=op.f('ck_code_suggestions_theme_positive')),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_code_suggestions_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], name=op.f('fk_code_suggestions_code_id_codes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_code_suggestions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_job_id'], ['report_jobs.id'], name=op.f('fk_code_suggestions_report_job_id_report_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_code_suggestions_theme_field_id_theme_fields'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_suggestions')),
    sa.UniqueConstraint('code_id', 'answer_id', name=op.f('uq_code_suggestions_code_id_answer_id')),
    sa.UniqueConstraint('report_job_id', 'theme_field_id', 'theme', 'answer_id', name='uq_code_suggestions_source')
    )
    with op.batch_alter_table('code_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_suggestions_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index('ix_code_suggestions_code_id_status', ['code_id', 'status', 'id'], unique=False)


def downgrade():
    # The suggestions go; accepted ones live on as the code assignments they became.
    with op.batch_alter_table('code_suggestions', schema=None) as batch_op:
        batch_op.drop_index('ix_code_suggestions_code_id_status')
        batch_op.drop_index(batch_op.f('ix_code_suggestions_answer_id'))

    op.drop_table('code_suggestions')
