"""campaign groups: groups of near-copies (possible campaigns) and their review; each answer's group, flags and language

Revision ID: 0010_campaign_groups
Revises: 0009_answer_imports
Create Date: 2026-12-06 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_campaign_groups'
down_revision = '0009_answer_imports'
branch_labels = None
depends_on = None


def upgrade():
    # answers exists already, so the representative's foreign key goes into CREATE TABLE;
    # the model marks it use_alter only for the metadata's own ordering of the cycle.
    op.create_table('campaign_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('suggested', 'confirmed', 'not_campaign', name='campaignstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('similarity_min', sa.Float(), nullable=True),
    sa.Column('similarity_median', sa.Float(), nullable=True),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('split_from_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint('similarity_median IS NULL OR (similarity_median >= 0 AND similarity_median <= 1)', name=op.f('ck_campaign_groups_similarity_median_range')),
    sa.CheckConstraint('similarity_min IS NULL OR (similarity_min >= 0 AND similarity_min <= 1)', name=op.f('ck_campaign_groups_similarity_min_range')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_campaign_groups_size_not_negative')),
    sa.CheckConstraint('split_from_id IS NULL OR split_from_id <> id', name=op.f('ck_campaign_groups_not_split_from_itself')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_campaign_groups_process_id_processes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['representative_id'], ['answers.id'], name=op.f('fk_campaign_groups_representative_id_answers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_campaign_groups_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['split_from_id'], ['campaign_groups.id'], name=op.f('fk_campaign_groups_split_from_id_campaign_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_groups'))
    )
    with op.batch_alter_table('campaign_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_groups_process_id'), ['process_id'], unique=False)

    # All nullable without a default: on PostgreSQL adding them rewrites no rows. Every
    # existing answer starts unchecked (quality_checked_at NULL): the next `flask
    # find-campaigns` or the report worker gives it its flags and language.
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('campaign_similarity', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('flag_empty_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('flag_spam_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('flag_abuse_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('quality_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_answers_campaign_group_id'), ['campaign_group_id'], unique=False)
        batch_op.create_index('ix_answers_quality_unchecked', ['id'], unique=False, sqlite_where=sa.text('quality_checked_at IS NULL'), postgresql_where=sa.text('quality_checked_at IS NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_answers_campaign_group_id_campaign_groups'), 'campaign_groups', ['campaign_group_id'], ['id'], ondelete='SET NULL')


def downgrade():
    # The groups and reviews go; the answers stay as they were before.
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_answers_campaign_group_id_campaign_groups'), type_='foreignkey')
        batch_op.drop_index('ix_answers_quality_unchecked', sqlite_where=sa.text('quality_checked_at IS NULL'), postgresql_where=sa.text('quality_checked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_answers_campaign_group_id'))
        batch_op.drop_column('quality_checked_at')
        batch_op.drop_column('language')
        batch_op.drop_column('flag_abuse_reason')
        batch_op.drop_column('flag_spam_reason')
        batch_op.drop_column('flag_empty_reason')
        batch_op.drop_column('campaign_similarity')
        batch_op.drop_column('campaign_group_id')

    with op.batch_alter_table('campaign_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_groups_process_id'))

    op.drop_table('campaign_groups')
