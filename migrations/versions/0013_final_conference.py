"""the Abschlusskonferenz: an event marked as the final conference of its process and the
recommendations presented there

Revision ID: 0013_final_conference
Revises: 0012_recommendations
Create Date: 2026-12-07 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_final_conference'
down_revision = '0012_recommendations'
branch_labels = None
depends_on = None


def upgrade():
    # Existing events are not the final conference; nothing else changes.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_final_conference', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table('conference_recommendations',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_conference_recommendations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_conference_recommendations_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'recommendation_id', name=op.f('pk_conference_recommendations'))
    )
    with op.batch_alter_table('conference_recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_recommendations_recommendation_id'), ['recommendation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('conference_recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_recommendations_recommendation_id'))
    op.drop_table('conference_recommendations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('is_final_conference')
