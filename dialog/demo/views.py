"""The results switch on the staff start page (demo mode, administrators only)."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dialog.common import pagecache
from dialog.common.clock import today_local
from dialog.common.errors import render_error
from dialog.common.permissions import Role, roles_required
from dialog.demo import services
from dialog.demo.forms import RESULTS, DemoPhaseForm
from dialog.extensions import db


def phase_switch() -> dict | None:
    """What the staff start page needs to show the switch, or None where it has none."""
    if not current_app.config["DEMO_MODE"] or not current_user.has_any_role(Role.ADMIN):
        return None
    process = services.demo_process()
    if process is None:
        return None
    return {
        "form": DemoPhaseForm(),
        "process": process,
        "results": services.shows_results(process, today_local()),
    }


@roles_required(Role.ADMIN)
def switch_phase():
    if not current_app.config["DEMO_MODE"]:
        return render_error(
            403,
            _(
                "Diesen Schalter gibt es nur im Demo-Modus. Die Phasen eines Prozesses ändern "
                "Sie unter „Prozesse und Inhalte“."
            ),
        )
    form = DemoPhaseForm()
    if not form.validate_on_submit():
        return render_error(400, _("Bitte wählen Sie die Dialogphase oder die Ergebnisphase."))
    process = services.demo_process()
    if process is None:
        return render_error(
            404, _("Den Demo-Prozess gibt es nicht. Laden Sie ihn mit „flask seed“.")
        )
    results = form.phase.data == RESULTS
    changed = services.show_results(current_user, process, results, today_local())
    db.session.commit()
    pagecache.store.clear()  # the public pages show the new phase at once
    if not changed:
        flash(_("Die Phasen waren schon so eingestellt; nichts wurde geändert."), "info")
    elif results:
        flash(
            _(
                "Der Demo-Prozess ist jetzt in der Phase „Veröffentlichung der Ergebnisse“: "
                "Die Dialogphase endete vor zwei Wochen."
            ),
            "success",
        )
    else:
        flash(_("Der Demo-Prozess ist wieder in der Dialogphase."), "success")
    return redirect(url_for("staff.dashboard"))
