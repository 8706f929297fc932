"""events: events, Dialoginseln, registrations, applications and invitations

Revision ID: 0004_events
Revises: 0003_mail_outbox
Create Date: 2026-11-22 06:10:35.248616

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_events'
down_revision = '0003_mail_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('citizen_dialogue', 'practice_workshop', 'stakeholder_hearing', 'company_visit', 'congress', 'other', name='eventkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'cancelled', name='eventstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('bundesland', sa.Enum('DE-BW', 'DE-BY', 'DE-BE', 'DE-BB', 'DE-HB', 'DE-HH', 'DE-HE', 'DE-MV', 'DE-NI', 'DE-NW', 'DE-RP', 'DE-SL', 'DE-SN', 'DE-ST', 'DE-SH', 'DE-TH', 'abroad', name='bundesland', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancellation_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_events_capacity_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)', name=op.f('ck_events_never_overbooked')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_events_process_id_processes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_status_starts_at', ['status', 'starts_at'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'accepted', 'declined', 'withdrawn', name='applicationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Enum('micro', 'small', 'medium', 'large', name='companysize', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('bundesland', sa.Enum('DE-BW', 'DE-BY', 'DE-BE', 'DE-BB', 'DE-HB', 'DE-HH', 'DE-HE', 'DE-MV', 'DE-NI', 'DE-NW', 'DE-RP', 'DE-SL', 'DE-SN', 'DE-ST', 'DE-SH', 'DE-TH', 'abroad', name='bundesland', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('privacy_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('personal_data_deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_applications_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('event_id', 'contact_email', name=op.f('uq_applications_event_id_contact_email'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_event_id_status_id', ['event_id', 'status', 'id'], unique=False)

    op.create_table('event_quotas',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.Enum('social_partners', 'associations', 'science', 'civil_society', 'public_sector', 'other', name='stakeholdergroup', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats >= 0', name=op.f('ck_event_quotas_seats_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_quotas_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'group', name=op.f('pk_event_quotas'))
    )
    op.create_table('event_theme_fields',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('theme_field_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_theme_fields_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_event_theme_fields_theme_field_id_theme_fields'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'theme_field_id', name=op.f('pk_event_theme_fields'))
    )
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('group', sa.Enum('social_partners', 'associations', 'science', 'civil_society', 'public_sector', 'other', name='stakeholdergroup', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_invitations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitations_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invitations_code_hash'))
    )
    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('held', 'confirmed', 'waitlisted', 'cancelled', 'expired', name='registrationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('bundesland', sa.Enum('DE-BW', 'DE-BY', 'DE-BE', 'DE-BB', 'DE-HB', 'DE-HH', 'DE-HE', 'DE-MV', 'DE-NI', 'DE-NW', 'DE-RP', 'DE-SL', 'DE-SN', 'DE-ST', 'DE-SH', 'DE-TH', 'abroad', name='bundesland', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('theme_field_id', sa.Integer(), nullable=True),
    sa.Column('support_needs', sa.Text(), nullable=True),
    sa.Column('privacy_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('link_salt', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('hold_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('personal_data_deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('stakeholder_group', sa.Enum('social_partners', 'associations', 'science', 'civil_society', 'public_sector', 'other', name='stakeholdergroup', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registrations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_registrations_invitation_id_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_field_id'], ['theme_fields.id'], name=op.f('fk_registrations_theme_field_id_theme_fields'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_registrations_event_id_email')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_registrations_token_hash'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_event_id_status_id', ['event_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_registrations_status_hold_expires_at', ['status', 'hold_expires_at'], unique=False)



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_status_hold_expires_at')
        batch_op.drop_index('ix_registrations_event_id_status_id')

    op.drop_table('registrations')
    op.drop_table('invitations')
    op.drop_table('event_theme_fields')
    op.drop_table('event_quotas')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_event_id_status_id')

    op.drop_table('applications')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_status_starts_at')

    op.drop_table('events')
