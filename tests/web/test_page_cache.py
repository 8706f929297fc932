"""The microcache of public pages: fresh tokens for every visitor, nothing private cached."""

import re

import sqlalchemy as sa

from dialog.answers.models import Submission
from dialog.common.permissions import Role
from dialog.extensions import db
from dialog.process.models import ThemeField
from tests.web.answer_helpers import THEME, THEME_URL, count, form_fields, send


def test_cached_form_page_gives_every_visitor_own_tokens(app, seeded):
    app.config["PAGE_CACHE_SECONDS"] = 60
    first, second = app.test_client(), app.test_client()
    hidden_1, names = form_fields(first)
    hidden_2, _ = form_fields(second)
    assert hidden_1["form_token"] != hidden_2["form_token"]
    assert hidden_1["csrf_token"] != hidden_2["csrf_token"]
    assert "__dialog_" not in first.get(THEME_URL).get_data(as_text=True)
    assert send(first, ["Eins"], hidden=hidden_1, names=names).status_code == 302
    assert send(second, ["Zwei"], hidden=hidden_2, names=names).status_code == 302
    assert count(Submission) == 2


def test_content_edits_reach_visitors_after_the_cache_time(app, client, seeded, make_user, login):
    app.config["PAGE_CACHE_SECONDS"] = 60
    visitor = app.test_client()
    assert THEME.title in visitor.get(THEME_URL).get_data(as_text=True)
    theme = db.session.scalar(sa.select(ThemeField).where(ThemeField.slug == THEME.slug))
    theme.title = "Neuer Titel"
    db.session.commit()
    assert "Neuer Titel" not in visitor.get(THEME_URL).get_data(as_text=True)  # still cached
    login(make_user(Role.ADMIN))
    assert "Neuer Titel" in client.get(THEME_URL).get_data(as_text=True)  # staff: never cached
    app.config["PAGE_CACHE_SECONDS"] = 0
    assert "Neuer Titel" in visitor.get(THEME_URL).get_data(as_text=True)


def test_messages_and_private_pages_are_never_cached(app, seeded):
    app.config["PAGE_CACHE_SECONDS"] = 60
    visitor = app.test_client()
    link = send(visitor, ["Wird gelöscht"]).headers["Location"].split("?")[0]
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', visitor.get(link + "/loeschen").get_data(as_text=True)
    ).group(1)
    response = visitor.post(link + "/loeschen", data={"csrf_token": token}, follow_redirects=True)
    assert "vollständig gelöscht" in response.get_data(as_text=True)
    assert "vollständig gelöscht" not in visitor.get(THEME_URL).get_data(as_text=True)
    assert "vollständig gelöscht" not in app.test_client().get(THEME_URL).get_data(as_text=True)
    assert visitor.get(link).status_code == 404


def test_post_with_errors_is_not_cached(app, seeded):
    app.config["PAGE_CACHE_SECONDS"] = 60
    visitor = app.test_client()
    html = send(visitor, ["x" * 5001]).get_data(as_text=True)
    assert "Bitte kürzen Sie sie" in html
    assert "Bitte kürzen Sie sie" not in app.test_client().get(THEME_URL).get_data(as_text=True)


def test_remembered_values_live_as_long_as_cached_pages(app):
    from dialog.common import pagecache

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    app.config["PAGE_CACHE_SECONDS"] = 0
    assert [pagecache.remember(("n",), compute) for _ in range(2)] == [1, 2]
    app.config["PAGE_CACHE_SECONDS"] = 60
    assert [pagecache.remember(("n",), compute) for _ in range(2)] == [3, 3]
