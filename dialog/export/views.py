"""Analysts and admins download the dataset (answers, coding, events) as one zip."""

from __future__ import annotations

import tempfile

import sqlalchemy as sa
from flask import current_app, render_template, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from dialog.common.clock import today_local
from dialog.common.permissions import Role, roles_required
from dialog.events.models import Event
from dialog.export import services
from dialog.export.forms import ExportForm
from dialog.extensions import db
from dialog.process import services as process_services

EXPORT_ROLES = (Role.ANALYST, Role.ANALYST_LEAD, Role.ADMIN)


@roles_required(*EXPORT_ROLES)
def export_dataset():
    processes = process_services.all_processes()
    events = db.session.scalars(sa.select(Event).order_by(Event.starts_at, Event.id)).all()
    form = ExportForm(processes=processes, events=events)
    limit = current_app.config["EXPORT_WEB_MAX_ANSWERS"]  # beyond: `flask export`
    if form.validate_on_submit():
        filters = form.filters()
        selected = services.count_answers(filters)
        if selected > limit:
            form.form_errors.append(
                _(
                    "Die Auswahl umfasst %(count)s Antworten, mehr als %(limit)s, die über die "
                    "Weboberfläche exportiert werden können. Bitte schränken Sie die Auswahl "
                    "ein oder nutzen Sie den Befehl „flask export“ auf dem Server.",
                    count=format_decimal(selected),
                    limit=format_decimal(limit),
                )
            )
        else:
            download = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
            try:
                services.write_export(download, form.format, filters, actor=current_user)
            except services.ExportTooLarge as error:
                download.close()
                form.fmt.errors = [*form.fmt.errors, error.message]
            else:
                db.session.commit()  # the audit entry
                download.seek(0)
                return send_file(
                    download,
                    mimetype="application/zip",
                    as_attachment=True,
                    download_name=f"dialog-export-{today_local().isoformat()}.zip",
                    max_age=0,
                )
    return render_template(
        "export/form.html",
        form=form,
        total=services.count_answers(services.ExportFilters()),
        limit=limit,
    )
