"""Event documentation for staff: points raised per Dialoginsel, workshop or hearing, with an
optional file that is type-checked and re-encoded, edited, deleted and citable as evidence."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.recommendations import files
from dialog.recommendations import services as recs
from dialog.recommendations.models import EventDocumentationEntry, RecommendationEvidence
from tests.web.recommendation_helpers import (
    BASE,
    first_event,
    make_recommendation,
    post,
    reload,
    themes,
)


@pytest.fixture
def analyst(client, seeded, make_user, login, app, tmp_path):
    app.config["DOCUMENTATION_UPLOAD_DIR"] = str(tmp_path / "uploads")
    user = make_user(Role.ANALYST)
    login(user)
    return user


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _entries() -> list[EventDocumentationEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(EventDocumentationEntry).order_by("id")))


def _send(client, event, **fields):
    url = f"{BASE}/veranstaltungen/{event.id}"
    data = {"session_label": "Dialoginsel 2", "text": "Mehr Plätze am Nachmittag", **fields}
    return post(client, url, data, content_type="multipart/form-data")


def test_entry_with_a_photo_is_stored_re_encoded_and_served_to_staff(client, analyst):
    event = first_event()
    theme = themes()[1]
    photo = _png() + b"trailing bytes that re-encoding drops"
    response = _send(
        client,
        event,
        theme_field=str(theme.id),
        agreement_count="7",
        upload=(io.BytesIO(photo), "pinnwand.png"),
    )
    assert response.status_code == 302
    (entry,) = _entries()
    assert (entry.session_label, entry.agreement_count, entry.theme_field_id) == (
        "Dialoginsel 2",
        7,
        theme.id,
    )
    assert entry.file_name == "pinnwand.png" and entry.stored_name != "pinnwand.png"
    stored = files.path_of(entry.stored_name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert stored != photo and image.size == (40, 30)
    download = client.get(f"{BASE}/dokumentation/{entry.id}/datei")
    assert download.status_code == 200 and download.data == stored
    download.close()
    page = client.get(f"{BASE}/veranstaltungen/{event.id}").get_data(as_text=True)
    assert "Mehr Plätze am Nachmittag" in page and "pinnwand.png" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"upload": (io.BytesIO(b"MZ\x90\x00 not a picture"), "x.png")}, "PDF-, PNG- oder JPEG"),
        ({"upload": (io.BytesIO(b"\x89PNG\r\n\x1a\nbroken"), "kaputt.png")}, "nicht lesen"),
        ({"text": ""}, None),
        ({"agreement_count": "-3"}, None),
    ],
)
def test_bad_input_is_refused_in_german_and_stores_nothing(client, analyst, fields, message):
    event = first_event()
    response = _send(client, event, **fields)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "error-summary" in body or "field--error" in body
    if message:
        assert message in body
    assert _entries() == []
    upload_dir = files.upload_dir()
    assert not upload_dir.exists() or not [p for p in upload_dir.iterdir()]


def test_entry_is_citable_evidence_and_deleting_it_removes_the_link(client, analyst):
    event = first_event()
    _send(client, event)
    (entry,) = _entries()
    rec = make_recommendation(analyst)
    recs.add_documentation(analyst, rec, entry.id)
    db.session.commit()
    assert [e.documentation_id for e in recs.evidence_of(rec.id)] == [entry.id]
    response = post(
        client,
        f"{BASE}/dokumentation/{entry.id}/loeschen",
        {},
        form_url=f"{BASE}/veranstaltungen/{event.id}",
    )
    assert response.status_code == 302
    assert _entries() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecommendationEvidence)) == 0
    assert reload(type(rec), rec.id) is not None


def test_moderators_may_not_document(client, seeded, make_user, login):
    login(make_user(Role.MODERATOR))
    event = first_event()
    assert client.get(f"{BASE}/veranstaltungen/{event.id}").status_code == 403
