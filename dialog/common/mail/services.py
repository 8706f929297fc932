"""Queueing mails, links in mails, and keeping the outbox: purge, forget, retry, overview.

Services flush but never commit: a mail is queued in the transaction of the change that causes
it, so it is sent exactly when that change is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.common.i18n import newstyle_format
from dialog.common.mail.message import Attachment, new_message_id
from dialog.common.mail.models import MailStatus, OutboxMail
from dialog.common.mail.rules import OVERDUE_AFTER
from dialog.extensions import db

ATTENTION_LIMIT = 200  # rows on the admin page; the counts above the table tell the rest


def queue(
    to: str,
    subject: str,
    template: str,
    *,
    attachments: Sequence[Attachment] = (),
    reference: str | None = None,
    list_unsubscribe: str | None = None,
    **context: Any,
) -> OutboxMail:
    """Render templates/mail/<template>.txt and .html in German and add the mail to the outbox.

    `reference` (e.g. "registration:42") lets a domain find its mails again, see `forget`;
    `list_unsubscribe`, the address that ends a subscription in one click (RFC 8058).
    """
    mail = compose(to, subject, template, attachments=attachments, reference=reference, **context)
    mail.list_unsubscribe = list_unsubscribe
    db.session.add(mail)
    return mail


def compose(
    to: str,
    subject: str,
    template: str,
    *,
    attachments: Sequence[Attachment] = (),
    reference: str | None = None,
    **context: Any,
) -> OutboxMail:
    """The mail `queue` would add, rendered but not yet in the outbox (`db.session.add` it).

    For a mail that depends on a decision taken under a lock: render it before the lock.
    """
    body_text, body_html = render(template, context)
    return OutboxMail(
        to_address=to,
        subject=_one_line(subject),
        body_text=body_text,
        body_html=body_html,
        attachments=[a.to_json() for a in attachments],
        message_id=new_message_id(current_app.config["MAIL_SENDER"]),
        reference=reference,
    )


def queue_unrendered(to: str, subject: str, template: str) -> OutboxMail:
    """A mail that the worker renders when it sends it; `db.session.add` it with a reference.

    Its context comes from the renderer of its reference's kind (`register_renderer`), e.g.
    "registration:42", read when the mail is sent; if what it names no longer exists, the mail
    is dropped. Rendering was a fifth of the cost of a registration: in a registration storm,
    the worker does it instead of the web servers.
    """
    return OutboxMail(
        to_address=to,
        subject=_one_line(subject),
        template=template,
        attachments=[],
        message_id=new_message_id(current_app.config["MAIL_SENDER"]),
    )


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """templates/mail/<template>.txt and .html, in German; the plain text and the HTML."""
    env = _mail_environment(current_app)
    # Mails are German whatever the language of the page that caused them. Templates are
    # rendered without the site's context processors: a mail has no page around it.
    with force_locale("de"):
        return (
            env.get_template(f"mail/{template}.txt").render(context),
            env.get_template(f"mail/{template}.html").render(context),
        )


def _one_line(subject: str) -> str:
    """A lazy string is translated now, in German; a header is one line."""
    with force_locale("de"):
        return " ".join(str(subject).split())


# The renderers of unrendered mails by the kind of their reference ("registration" for
# "registration:42"): the id in, the template's context out, or None if it no longer exists.
_renderers: dict[str, Callable[[int], dict[str, Any] | None]] = {}


def register_renderer(kind: str, context_of: Callable[[int], dict[str, Any] | None]) -> None:
    _renderers[kind] = context_of


def bodies(mail: OutboxMail | sa.Row) -> tuple[str, str] | None:
    """The plain text and HTML of `mail`: stored, or rendered now; None if nothing is left."""
    if mail.body_text is not None:
        return mail.body_text, mail.body_html
    kind, _, key = (mail.reference or "").partition(":")
    context_of = _renderers.get(kind)
    context = context_of(int(key)) if context_of and key.isdigit() else None
    return None if context is None or not mail.template else render(mail.template, context)


def _mail_environment(app: Flask) -> Environment:
    """The site's template environment, but with German text as it stands in the templates.

    German is the language of the message ids, so a German mail needs no catalogue: looking
    each text up (through Flask-Babel's per-request locale machinery) was a tenth of the cost
    of a registration. Dates and numbers still follow `force_locale("de")`.
    """
    env = app.extensions.get("dialog_mail_jinja_env")
    if env is None:
        env = app.jinja_env.overlay()
        # An overlay shares the globals dict (and `install_null_translations` would act on the
        # site's environment): the mail's own functions go into a copy.
        # `_` too: the site's is its own function (common/i18n), not an alias of `gettext`.
        env.globals = {
            **app.jinja_env.globals,
            "_": _german,
            "gettext": _german,
            "ngettext": _german_plural,
        }
        app.extensions["dialog_mail_jinja_env"] = env
    return env


@pass_context
def _german(context: Context, string: str, **variables: Any) -> str:
    """Jinja's "newstyle" gettext without a catalogue: escaped like it, formatted like it."""
    # The message ids are the templates' own literals, trusted like the template itself.
    return newstyle_format(context, string, variables)


@pass_context
def _german_plural(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    """Jinja's "newstyle" ngettext without a catalogue, with German's rule (1 is singular)."""
    variables.setdefault("num", num)
    return newstyle_format(context, singular if num == 1 else plural, variables)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for a mail, on PUBLIC_URL; the same inside a request and outside one."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def purge_sent(before: datetime) -> int:
    """Delete sent mails queued before `before` (they hold names and addresses); the count."""
    stmt = sa.delete(OutboxMail).where(
        OutboxMail.status == MailStatus.SENT, OutboxMail.created_at < before
    )
    return db.session.execute(stmt).rowcount


def forget(reference: str) -> int:
    """Delete the sent and failed mails of `reference`; pending ones still go out. The count."""
    stmt = sa.delete(OutboxMail).where(
        OutboxMail.reference == reference,
        OutboxMail.status.in_([MailStatus.SENT, MailStatus.FAILED]),
    )
    return db.session.execute(stmt).rowcount


def status_counts() -> dict[MailStatus, int]:
    stmt = sa.select(OutboxMail.status, sa.func.count()).group_by(OutboxMail.status)
    counts = dict.fromkeys(MailStatus, 0)
    counts.update({status: n for status, n in db.session.execute(stmt)})
    return counts


def mails_needing_attention() -> list[OutboxMail]:
    """Failed mails and mails pending for longer than OVERDUE_AFTER, oldest first."""
    overdue = sa.and_(
        OutboxMail.status == MailStatus.PENDING,
        OutboxMail.created_at < now_utc() - OVERDUE_AFTER,
    )
    stmt = (
        sa.select(OutboxMail)
        .where(sa.or_(OutboxMail.status == MailStatus.FAILED, overdue))
        .order_by(OutboxMail.created_at, OutboxMail.id)
        .limit(ATTENTION_LIMIT)
    )
    return list(db.session.scalars(stmt))


def retry_now(actor) -> int:
    """Make failed mails and pending mails waiting for their next attempt due now; the count.

    A mail that a worker is sending right now keeps its lease and is not sent twice.
    """
    now = now_utc()
    waiting = sa.and_(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at > now)
    stmt = (
        sa.update(OutboxMail)
        .where(sa.or_(OutboxMail.status == MailStatus.FAILED, waiting))
        .values(status=MailStatus.PENDING, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    count = db.session.execute(stmt).rowcount
    # One entry for the whole outbox: after an outage this may concern thousands of mails.
    db.session.add(
        AuditEntry(
            actor_id=actor.id,
            action="outbox.retry",
            object_type="OutboxMail",
            changes={"count": [None, count]},
        )
    )
    return count
