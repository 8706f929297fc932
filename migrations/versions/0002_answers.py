"""answers: submissions, answers, reports and the full-text search index

Revision ID: 0002_answers
Revises: 0001_initial
Create Date: 2026-11-22 03:32:11.755185

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_answers'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_field_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('online', 'dialogue_island', 'letter', 'email', 'other', name='channel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('event_note', sa.String(length=200), nullable=False),
    sa.Column('perspective', sa.Enum('citizen', 'employee', 'employer', 'union', 'association', 'science', 'other', name='perspective', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('bundesland', sa.Enum('DE-BW', 'DE-BY', 'DE-BE', 'DE-BB', 'DE-HB', 'DE-HH', 'DE-HE', 'DE-MV', 'DE-NI', 'DE-NW', 'DE-RP', 'DE-SL', 'DE-SN', 'DE-ST', 'DE-SH', 'DE-TH', 'abroad', name='bundesland', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('age_band', sa.Enum('under_25', '25_34', '35_44', '45_54', '55_64', '65_plus', name='ageband', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('publication_consent', sa.Boolean(), nullable=False),
    sa.Column('privacy_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('nonce', sa.String(length=64), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_submissions_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_submissions_theme_field_id_theme_fields'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('nonce', name=op.f('uq_submissions_nonce')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_submissions_token_hash'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_theme_field_id'), ['theme_field_id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('theme_field_id', sa.Integer(), nullable=False),
    sa.Column('perspective', sa.Enum('citizen', 'employee', 'employer', 'union', 'association', 'science', 'other', name='perspective', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('bundesland', sa.Enum('DE-BW', 'DE-BY', 'DE-BE', 'DE-BB', 'DE-HB', 'DE-HH', 'DE-HE', 'DE-MV', 'DE-NI', 'DE-NW', 'DE-RP', 'DE-SL', 'DE-SN', 'DE-ST', 'DE-SH', 'DE-TH', 'abroad', name='bundesland', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('redacted_text', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'internal', 'rejected', 'hidden', name='answerstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rejection_reason', sa.Enum('disrespectful', 'hate', 'personal_data', 'advertising', 'off_topic', 'spam', name='rejectionreason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('report_count >= 0', name=op.f('ck_answers_report_count_not_negative')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_answers_moderated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['guiding_questions.id'], name=op.f('fk_answers_question_id_guiding_questions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_answers_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_answers_theme_field_id_theme_fields'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('submission_id', 'question_id', name=op.f('uq_answers_submission_id_question_id'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index('ix_answers_status_bundesland_id', ['status', 'bundesland', 'id'], unique=False)
        batch_op.create_index('ix_answers_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_answers_status_perspective_id', ['status', 'perspective', 'id'], unique=False)
        batch_op.create_index('ix_answers_status_theme_id', ['status', 'theme_field_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_submission_id'), ['submission_id'], unique=False)

    op.create_table('answer_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_answer_reports_answer_id_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_reports'))
    )
    with op.batch_alter_table('answer_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_reports_answer_id'), ['answer_id'], unique=False)

    # The full-text index of published answers lives outside the models (see
    # dialog/answers/search.py): an FTS5 table on SQLite, a tsvector table on PostgreSQL.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE answer_search ("
            " answer_id integer PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_answer_search_document ON answer_search USING gin (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE answer_search USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE answer_search")
    with op.batch_alter_table('answer_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_reports_answer_id'))

    op.drop_table('answer_reports')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_submission_id'))
        batch_op.drop_index('ix_answers_status_theme_id')
        batch_op.drop_index('ix_answers_status_perspective_id')
        batch_op.drop_index('ix_answers_status_id')
        batch_op.drop_index('ix_answers_status_bundesland_id')
        batch_op.drop_index(batch_op.f('ix_answers_question_id'))

    op.drop_table('answers')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_theme_field_id'))

    op.drop_table('submissions')
