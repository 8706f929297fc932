"""recommendations (Handlungsempfehlungen): evidence links, ratings, status history, the lists of
addressees and kinds of measure, event documentation entries; the rater-only role

Revision ID: 0012_recommendations
Revises: 0011_code_suggestions
Create Date: 2026-12-06 19:48:54.712201

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_recommendations'
down_revision = '0011_code_suggestions'
branch_labels = None
depends_on = None


def upgrade():
    # New tables only (and one more role): no existing row changes. A process without its own
    # lists of addressees and kinds of measure uses the defaults (recommendations/rules.py).
    op.create_table('recommendation_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('addressee', 'measure', name='optionlist', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_recommendation_options_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_options')),
    sa.UniqueConstraint('process_id', 'kind', 'label', name=op.f('uq_recommendation_options_process_id_kind_label'))
    )
    with op.batch_alter_table('recommendation_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_options_process_id'), ['process_id'], unique=False)

    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('addressee', sa.String(length=120), nullable=False),
    sa.Column('measure', sa.String(length=120), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'in_review', 'rated', 'included', 'deferred', 'planned', 'in_progress', 'implemented', 'not_pursued', name='recommendationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_recommendations_not_own_parent')),
    sa.CheckConstraint('version > 0', name=op.f('ck_recommendations_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_recommendations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['recommendations.id'], name=op.f('fk_recommendations_parent_id_recommendations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_recommendations_process_id_processes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['responsible_id'], ['users.id'], name=op.f('fk_recommendations_responsible_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendations_process_id'), ['process_id'], unique=False)
        batch_op.create_index('ix_recommendations_process_id_status', ['process_id', 'status'], unique=False)

    op.create_table('event_documentation_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('session_label', sa.String(length=120), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('theme_field_id', sa.Integer(), nullable=True),
    sa.Column('agreement_count', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('content_type', sa.String(length=80), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(stored_name IS NULL) = (file_name IS NULL)', name=op.f('ck_event_documentation_entries_file_named_when_stored')),
    sa.CheckConstraint('agreement_count IS NULL OR agreement_count >= 0', name=op.f('ck_event_documentation_entries_agreement_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_event_documentation_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_documentation_entries_event_id_events'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_event_documentation_entries_theme_field_id_theme_fields'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_documentation_entries')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_event_documentation_entries_stored_name'))
    )
    with op.batch_alter_table('event_documentation_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_documentation_entries_event_id'), ['event_id'], unique=False)

    op.create_table('recommendation_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=True),
    sa.Column('effectiveness', sa.SmallInteger(), nullable=False),
    sa.Column('feasibility', sa.SmallInteger(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('effectiveness BETWEEN 1 AND 5', name=op.f('ck_recommendation_ratings_effectiveness_scale')),
    sa.CheckConstraint('feasibility BETWEEN 1 AND 5', name=op.f('ck_recommendation_ratings_feasibility_scale')),
    sa.ForeignKeyConstraint(['rater_id'], ['users.id'], name=op.f('fk_recommendation_ratings_rater_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_ratings_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_ratings')),
    sa.UniqueConstraint('recommendation_id', 'rater_id', name=op.f('uq_recommendation_ratings_recommendation_id_rater_id'))
    )
    with op.batch_alter_table('recommendation_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_ratings_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('draft', 'in_review', 'rated', 'included', 'deferred', 'planned', 'in_progress', 'implemented', 'not_pursued', name='from_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'in_review', 'rated', 'included', 'deferred', 'planned', 'in_progress', 'implemented', 'not_pursued', name='to_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('public_note', sa.Text(), nullable=False),
    sa.Column('progress_percent', sa.SmallInteger(), nullable=True),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.CheckConstraint('progress_percent IS NULL OR progress_percent BETWEEN 0 AND 100', name=op.f('ck_recommendation_status_changes_progress_range')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_recommendation_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_status_changes_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_status_changes'))
    )
    with op.batch_alter_table('recommendation_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_status_changes_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_theme_fields',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('theme_field_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_theme_fields_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_recommendation_theme_fields_theme_field_id_theme_fields'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'theme_field_id', name=op.f('pk_recommendation_theme_fields'))
    )
    with op.batch_alter_table('recommendation_theme_fields', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_theme_fields_theme_field_id'), ['theme_field_id'], unique=False)

    op.create_table('recommendation_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('answer', 'code', 'documentation', 'recommendation', name='evidencekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('code_id', sa.Integer(), nullable=True),
    sa.Column('documentation_id', sa.Integer(), nullable=True),
    sa.Column('source_recommendation_id', sa.Integer(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'answer' AND answer_id IS NOT NULL AND code_id IS NULL AND documentation_id IS NULL AND source_recommendation_id IS NULL) OR (kind = 'code' AND code_id IS NOT NULL AND answer_id IS NULL AND documentation_id IS NULL AND source_recommendation_id IS NULL) OR (kind = 'documentation' AND documentation_id IS NOT NULL AND answer_id IS NULL AND code_id IS NULL AND source_recommendation_id IS NULL) OR (kind = 'recommendation' AND source_recommendation_id IS NOT NULL AND answer_id IS NULL AND code_id IS NULL AND documentation_id IS NULL)", name=op.f('ck_recommendation_evidence_one_target')),
    sa.CheckConstraint('source_recommendation_id IS NULL OR source_recommendation_id <> recommendation_id', name=op.f('ck_recommendation_evidence_not_merged_from_itself')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_recommendation_evidence_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_recommendation_evidence_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], name=op.f('fk_recommendation_evidence_code_id_codes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['documentation_id'], ['event_documentation_entries.id'], name=op.f('fk_recommendation_evidence_documentation_id_event_documentation_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_evidence_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_evidence_source_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_evidence')),
    sa.UniqueConstraint('recommendation_id', 'answer_id', name=op.f('uq_recommendation_evidence_recommendation_id_answer_id')),
    sa.UniqueConstraint('recommendation_id', 'code_id', name=op.f('uq_recommendation_evidence_recommendation_id_code_id')),
    sa.UniqueConstraint('recommendation_id', 'documentation_id', name=op.f('uq_recommendation_evidence_recommendation_id_documentation_id')),
    sa.UniqueConstraint('recommendation_id', 'source_recommendation_id', name=op.f('uq_recommendation_evidence_recommendation_id_source_recommendation_id'))
    )
    with op.batch_alter_table('recommendation_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_evidence_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_evidence_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_evidence_documentation_id'), ['documentation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_evidence_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_evidence_source_recommendation_id'), ['source_recommendation_id'], unique=False)

    _alter_roles(_ROLES + ('rater',), _ROLES)


_ROLES = ('admin', 'moderator', 'analyst', 'analyst_lead')


def _alter_roles(new, old):
    """The role column's CHECK constraint lists the roles: the external rater joins them."""
    def role_enum(values):
        return sa.Enum(*values, name='role', native_enum=False, create_constraint=True, length=32)

    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.alter_column(
            'role', type_=role_enum(new), existing_type=role_enum(old), existing_nullable=False
        )


def downgrade():
    # Raters lose their role (an account with no other role keeps no access).
    op.execute("DELETE FROM user_roles WHERE role = 'rater'")
    _alter_roles(_ROLES, _ROLES + ('rater',))
    with op.batch_alter_table('recommendation_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_evidence_source_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_evidence_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_evidence_documentation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_evidence_code_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_evidence_answer_id'))

    op.drop_table('recommendation_evidence')
    with op.batch_alter_table('recommendation_theme_fields', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_theme_fields_theme_field_id'))

    op.drop_table('recommendation_theme_fields')
    with op.batch_alter_table('recommendation_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_status_changes_recommendation_id'))

    op.drop_table('recommendation_status_changes')
    with op.batch_alter_table('recommendation_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_ratings_recommendation_id'))

    op.drop_table('recommendation_ratings')
    with op.batch_alter_table('event_documentation_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_documentation_entries_event_id'))

    op.drop_table('event_documentation_entries')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendations_process_id_status')
        batch_op.drop_index(batch_op.f('ix_recommendations_process_id'))
        batch_op.drop_index(batch_op.f('ix_recommendations_parent_id'))

    op.drop_table('recommendations')
    with op.batch_alter_table('recommendation_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_options_process_id'))

    op.drop_table('recommendation_options')
