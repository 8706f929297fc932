"""The Abschlusskonferenz: staff mark an event as the final conference of its process and attach
the recommendations presented there; the public event page lists the published ones."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.common.audit import AuditEntry
from dialog.common.permissions import Role
from dialog.events.models import Event
from dialog.extensions import db
from dialog.recommendations import services as recs
from dialog.recommendations.models import conference_recommendations
from dialog.recommendations.rules import RecommendationStatus as S
from tests.web.recommendation_helpers import (
    BASE,
    first_event,
    make_recommendation,
    other_process,
    post,
    reload,
    set_status,
)


def _url(event: Event) -> str:
    return f"{BASE}/veranstaltungen/{event.id}/abschlusskonferenz"


def _page(event: Event) -> str:
    return f"{BASE}/veranstaltungen/{event.id}"


def _presented(event_id: int) -> list[int]:
    cr = conference_recommendations
    return list(
        db.session.scalars(
            sa.select(cr.c.recommendation_id)
            .where(cr.c.event_id == event_id)
            .order_by(cr.c.position)
        )
    )


def test_marked_event_lists_only_published_recommendations(client, seeded, make_user, login):
    analyst = make_user(Role.ANALYST)
    login(analyst)
    event = first_event()
    draft = make_recommendation(analyst, "Entwurf bleibt intern")
    included = make_recommendation(analyst, "Kita-Ausbau beschleunigen", theme_index=1)
    later = make_recommendation(analyst, "Anerkennung digitalisieren")
    set_status(included, S.INCLUDED)
    set_status(later, S.IN_PROGRESS)
    page = client.get(_page(event)).get_data(as_text=True)
    assert "Entwurf bleibt intern" in page  # staff see every recommendation as a choice
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Dokumentation:" in title and "Abschlusskonferenz" not in title
    assert page.count('id="final-conference"') == 1

    response = post(
        client,
        _url(event),
        {"is_final": "y", "recommendations": [later.id, draft.id, included.id]},
        form_url=_page(event),
    )
    assert response.status_code == 302
    event = reload(Event, event.id)
    assert event.is_final_conference is True
    assert _presented(event.id) == [later.id, draft.id, included.id]  # in the order chosen

    public = client.get(f"/veranstaltungen/{event.id}").get_data(as_text=True)
    assert "Auf der Abschlusskonferenz vorgestellte Handlungsempfehlungen" in public
    assert "Anerkennung digitalisieren" in public and "Kita-Ausbau beschleunigen" in public
    assert public.index("Anerkennung digitalisieren") < public.index("Kita-Ausbau beschleunigen")
    assert "in Umsetzung" in public
    assert "Entwurf bleibt intern" not in public

    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "event.final_conference")
    )
    assert entry is not None and entry.actor_id == analyst.id

    # Unmarked, the page lists nothing; the choice is kept out of the public page at once.
    post(client, _url(event), {"recommendations": [included.id]}, form_url=_page(event))
    public = client.get(f"/veranstaltungen/{event.id}").get_data(as_text=True)
    assert "Kita-Ausbau beschleunigen" not in public
    assert "vorgestellte Handlungsempfehlungen" not in public


def test_unknown_and_foreign_recommendations_are_refused_and_change_nothing(
    client, seeded, make_user, login
):
    analyst = make_user(Role.ANALYST)
    login(analyst)
    event = first_event()
    own = make_recommendation(analyst)
    recs.set_final_conference(analyst, event, True, [own.id])
    db.session.commit()
    foreign = recs.create_recommendation(
        analyst,
        other_process(),
        recs.RecommendationInput(title="Fremd", text="", theme_field_ids=[]),
    )
    db.session.commit()
    cases = [
        ([foreign.id], "gehört zu einem anderen Prozess"),
        ([own.id, 10**6], "Diesen Eintrag gibt es nicht"),
        (["keine-zahl"], None),
    ]
    for ids, message in cases:
        response = post(
            client, _url(event), {"is_final": "y", "recommendations": ids}, form_url=_page(event)
        )
        assert response.status_code == 400, ids
        body = response.get_data(as_text=True)
        if message:
            assert message in body
        assert 'aria-invalid="true"' in body or "field--error" in body
        assert _presented(event.id) == [own.id]
        assert reload(Event, event.id).is_final_conference is True


def test_only_documenters_may_mark_the_event(client, seeded, make_user, login):
    event = first_event()
    login(make_user(Role.MODERATOR))
    response = post(client, _url(event), {"is_final": "y"}, form_url="/staff/")
    assert response.status_code == 403
    assert reload(Event, event.id).is_final_conference is False
