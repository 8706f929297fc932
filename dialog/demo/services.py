"""The results switch of demo mode: move the demo process's phase dates so that today lies in
the Dialogphase or in the Veröffentlichung der Ergebnisse. The clock is never faked."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.common import audit
from dialog.extensions import db
from dialog.process.models import Process
from dialog.seed import PROCESS_SLUG, demo_dates, results_shown


def demo_process() -> Process | None:
    return db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))


def shows_results(process: Process, today: date) -> bool:
    """Whether the process's phase dates place `today` inside its results phase."""
    return results_shown({p.kind: (p.starts_on, p.ends_on) for p in process.phases}, today)


def show_results(actor, process: Process, results: bool, today: date) -> bool:
    """Give the process's phases the demo dates with today in the results phase (`results`)
    or in the Dialogphase; audit-logged per phase. Returns whether anything changed."""
    wanted = demo_dates(today, results=results)
    changed = False
    for phase in process.phases:
        starts_on, ends_on = wanted[phase.kind]
        changes = audit.diff(phase, {"starts_on": starts_on, "ends_on": ends_on})
        if changes:
            audit.record(actor, "phase.update", phase, changes)
            changed = True
    db.session.flush()
    return changed
