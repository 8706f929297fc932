"""The public results ("wir haben gehandelt") in the results phase, in headless Chromium:
axe-core (WCAG 2.1 A/AA) in German and English, reflow at 320 px, the filter form used by
keyboard without JavaScript, and the answers page filtered to a recommendation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers.rules import Perspective
from dialog.common.clock import today_local
from dialog.extensions import db
from dialog.process.models import Phase, Process
from dialog.process.rules import PhaseKind
from dialog.recommendations import services as recs
from dialog.recommendations.models import Recommendation, RecommendationStatusChange
from dialog.recommendations.rules import RecommendationStatus as S
from dialog.seed import PROCESS_SLUG
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scrolling
from tests.web.recommendation_helpers import make_answer

pytestmark = pytest.mark.browser

BASE = f"/dialog/{PROCESS_SLUG}/ergebnisse/empfehlungen"


@pytest.fixture
def results_phase(live_server):
    """The results phase begun yesterday, with two published recommendations; restored after."""
    with live_server.app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))
        phase = db.session.scalar(
            sa.select(Phase).where(Phase.process_id == process.id, Phase.kind == PhaseKind.RESULTS)
        )
        phase_id, before = phase.id, (phase.starts_on, phase.ends_on)
        phase.starts_on = today_local() - timedelta(days=1)
        phase.ends_on = today_local() + timedelta(days=100)
        author = db.session.scalar(sa.select(User).order_by(User.id))
        published = [
            make_answer(f"Eine veröffentlichte Antwort, Nummer {n}.", perspective=perspective)
            for n, perspective in enumerate(Perspective)
        ][:4]
        made = []
        for n, (title, status) in enumerate(
            (("Ganztag verlässlich ausbauen", S.IN_PROGRESS), ("Anerkennung digital", S.INCLUDED))
        ):
            rec = recs.create_recommendation(
                author,
                process,
                recs.RecommendationInput(
                    title=title,
                    text="Der Bund fördert den Ausbau.",
                    theme_field_ids=[process.theme_fields[n].id],
                    addressee="Bund",
                ),
            )
            for answer in published[n * 2 : n * 2 + 2]:
                recs.add_answer(author, rec, answer.id)
            rec.status = status
            db.session.add(
                RecommendationStatusChange(
                    recommendation_id=rec.id,
                    from_status=S.RATED,
                    to_status=status,
                    public_note="Ein Gesetzentwurf liegt vor.",
                    progress_percent=30 if status == S.IN_PROGRESS else None,
                    link="https://example.org/entwurf",
                )
            )
            made.append(rec.id)
        db.session.commit()
    yield made
    with live_server.app.app_context():
        phase = db.session.get(Phase, phase_id)
        phase.starts_on, phase.ends_on = before
        for rec_id in made:  # out of the public list again for the other tests
            db.session.get(Recommendation, rec_id).status = S.DRAFT
        db.session.commit()


@pytest.mark.parametrize("language", ["de", "en"])
def test_results_pass_axe_and_reflow(page, live_server, results_phase, language):
    page.goto(live_server.url(f"/sprache/{language}?next={BASE}"))
    assert page.url == live_server.url(BASE)
    assert page.get_by_role("heading", level=3, name="Ganztag verlässlich ausbauen").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(page)
    # An unknown filter value: its message at the field, still accessible.
    page.goto(live_server.url(f"{BASE}?status=draft"))
    assert_accessible(page)


def test_filters_by_keyboard_and_reaches_the_answers(page, live_server, results_phase):
    page.goto(live_server.url(BASE))
    page.get_by_label("Stand").select_option(label="in Umsetzung")
    page.get_by_role("button", name="Anzeigen").press("Enter")
    assert "status=in_progress" in page.url
    assert page.get_by_role("heading", level=3, name="Ganztag verlässlich ausbauen").is_visible()
    assert page.get_by_role("heading", level=3, name="Anerkennung digital").count() == 0
    page.get_by_role("link", name="veröffentlichten Beiträge dazu lesen").click()
    assert f"empfehlung={results_phase[0]}" in page.url
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scrolling(page)
