"""mail outbox: mails the worker renders when it sends them (a template, no bodies yet)

Revision ID: 0008_unrendered_mail
Revises: 0007_accessibility
Create Date: 2026-12-01 19:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_unrendered_mail'
down_revision = '0007_accessibility'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=100), nullable=True))
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=True)
        batch_op.alter_column('body_html', existing_type=sa.Text(), nullable=True)


def downgrade():
    # The old code cannot render a mail: one still unrendered would go out empty.
    unrendered = op.get_bind().execute(
        sa.text("SELECT count(*) FROM mail_outbox WHERE body_text IS NULL")
    ).scalar_one()
    if unrendered:
        raise RuntimeError(
            f"{unrendered} mails in the outbox are not rendered yet: "
            "send them first (flask send-mail), then downgrade."
        )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('body_html', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('template')
