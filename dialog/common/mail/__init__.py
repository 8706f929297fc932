"""E-mail that is never lost: the outbox.

A domain calls `queue(...)` in the transaction of the change that causes the mail; the row is
stored with that change or not at all. The worker, `flask send-mail` (once, by cron, or with
`--loop`), calls `deliver_due`: it claims due mails with a lease, sends them over one SMTP
connection, marks them sent, and retries temporary failures with back-off, so that mail
queued while the server is down goes out after its recovery. MAIL_BACKEND=log (the
development default) writes mails to the log instead.

    from dialog.common import mail
    mail.queue(person.email, _l("Ihre Anmeldung"), "events/registration_held",
               reference=f"registration:{registration.id}", registration=registration)

In the busiest request, a registration, the mail is queued unrendered (`queue_unrendered`)
and the worker renders it from the registration when it sends it.
"""

from dialog.common.mail.delivery import DeliveryReport, deliver_due
from dialog.common.mail.message import Attachment
from dialog.common.mail.models import MailStatus, OutboxMail
from dialog.common.mail.services import (
    bodies,
    compose,
    external_url,
    forget,
    purge_sent,
    queue,
    queue_unrendered,
    register_renderer,
)

__all__ = [
    "Attachment",
    "DeliveryReport",
    "MailStatus",
    "OutboxMail",
    "bodies",
    "compose",
    "deliver_due",
    "external_url",
    "forget",
    "purge_sent",
    "queue",
    "queue_unrendered",
    "register_renderer",
]
