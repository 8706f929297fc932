"""kept public figures of recommendations: one row per recommendation with its support counts
and quotes, recomputed from the evidence when marked stale

Revision ID: 0014_recommendation_support
Revises: 0013_final_conference
Create Date: 2026-12-07 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_recommendation_support'
down_revision = '0013_final_conference'
branch_labels = None
depends_on = None


def upgrade():
    # A new table only: existing recommendations have no row yet, which counts as stale, so
    # the public pages compute their figures on first reading.
    op.create_table('recommendation_support',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('voices', sa.Integer(), nullable=False),
    sa.Column('perspectives', sa.Integer(), nullable=False),
    sa.Column('campaign_answers', sa.Integer(), nullable=False),
    sa.Column('published_answers', sa.Integer(), nullable=False),
    sa.Column('documentation_entries', sa.Integer(), nullable=False),
    sa.Column('agreement', sa.Integer(), nullable=False),
    sa.Column('quote_ids', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_support_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', name=op.f('pk_recommendation_support'))
    )


    # Raised with every marking: the cached results page is kept exactly until it changes.
    op.create_table('public_results_versions',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_public_results_versions_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('process_id', name=op.f('pk_public_results_versions'))
    )


def downgrade():
    op.drop_table('public_results_versions')
    op.drop_table('recommendation_support')
