"""The site as the security tests see it: every rule of the URL map, and real rows whose ids,
slugs, tokens and codes fill the rules' URL parameters."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from dialog import create_app
from dialog.extensions import db
from tests.conftest import make_config

# `static` serves files from disk through Werkzeug's send_from_directory: no code of ours, no
# database; fuzzing it would read files, not test the app.
EXCLUDED_ENDPOINTS = {"static"}


def _rules() -> list[Rule]:
    app = create_app(make_config("sqlite://"))
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in EXCLUDED_ENDPOINTS),
        key=lambda r: (r.rule, r.endpoint),
    )


RULES = _rules()


@dataclass
class Site:
    app: Flask
    values: dict[str, list] = field(default_factory=dict)  # URL variable -> real values
    ids: dict[str, list[int]] = field(default_factory=dict)  # `<int:x_id>` -> ids of x's table

    def real_values(self, name: str, converter) -> list:
        if isinstance(converter, AnyConverter):
            return sorted(converter.items)
        if isinstance(converter, IntegerConverter):
            return self.values.get(name) or self.ids.get(name) or self.ids["*"]
        texts = {v for vs in self.values.values() for v in vs if isinstance(v, str)}
        return self.values.get(name) or sorted(texts)

    def refresh_ids(self) -> None:
        """The newest ids of each table that an `<int:x_id>` parameter names."""
        everything: set[int] = set()
        for rule in RULES:
            for name, converter in rule._converters.items():
                table = _table_for(name)
                if isinstance(converter, IntegerConverter) and table is not None:
                    column = table.c.id
                    query = sa.select(column).order_by(column.desc()).limit(20)
                    self.ids[name] = list(db.session.scalars(query))
                    everything.update(self.ids[name])
        self.ids["*"] = sorted(everything) or [1]
        db.session.commit()  # a read transaction left open would keep SQLite's writers waiting


def _table_for(variable: str) -> sa.Table | None:
    """The table an id parameter refers to: `event_id` -> events, `theme_id` -> theme_fields,
    `question_id` -> guiding_questions, `job_id` -> report_jobs."""
    if not variable.endswith("_id"):
        return None
    thing = variable.removesuffix("_id")
    tables = db.metadata.tables
    for name in (f"{thing}s", f"{thing}es"):
        if name in tables:
            return tables[name]
    for name, table in sorted(tables.items()):
        if {thing, f"{thing}s"} & set(name.split("_")) and "id" in table.c:
            return table
    return None


def make_rows(client: FlaskClient, staff) -> dict[str, list]:
    """A published submission, a registration, an application and an invitation, made as
    visitors and staff make them; returns their ids, tokens and codes by URL variable."""
    from dialog.answers import services as answer_services
    from dialog.answers.models import Answer
    from dialog.events import invitations
    from dialog.events.models import Event
    from dialog.events.rules import EventKind, StakeholderGroup
    from dialog.events.services import link_token
    from dialog.pages.models import Page
    from dialog.process.models import Process, ThemeField
    from tests.web.answer_helpers import send
    from tests.web.event_helpers import register, registrations

    response = send(client, ["Eine erste Antwort.", "Noch eine."], publication_consent="y")
    assert response.status_code == 302, "the seeded answer form did not accept an answer"
    submission_token = urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]
    answers = list(db.session.scalars(sa.select(Answer)))
    answer_services.accept(staff, answers)
    db.session.commit()

    def first(kind):
        return db.session.scalar(sa.select(Event).where(Event.kind == kind).limit(1))

    event = first(EventKind.CITIZEN_DIALOGUE)
    register(client, event.id, "fuzz-person@example.org")
    registration = registrations(event.id)[0]
    _invitation, code = invitations.issue(
        staff,
        first(EventKind.STAKEHOLDER_HEARING),
        organisation="Fuzz-Verband",
        group=next(iter(StakeholderGroup)),
        email="",
        expires_at=None,
    )
    db.session.commit()
    return {
        "slug": [
            *db.session.scalars(sa.select(Process.slug)),
            *db.session.scalars(sa.select(Page.slug)),
        ],
        "theme_slug": list(db.session.scalars(sa.select(ThemeField.slug))),
        "token": [submission_token, link_token(registration)],
        "code": [code],
        "lang": ["de", "en"],
    }


def real_paths(site: Site, rule: Rule, per_variable: int = 8, limit: int = 40) -> list[str]:
    """URLs of `rule` filled with real values: combinations of the first few of each."""
    names = list(rule._converters)
    choices = [site.real_values(n, rule._converters[n])[:per_variable] for n in names]
    paths = {
        rule.build(dict(zip(names, combination, strict=True)), append_unknown=False)[1]
        for combination in itertools.islice(itertools.product(*choices), limit)
    }
    return sorted(paths)


def _text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if isinstance(c.type, sa.String) and not isinstance(c.type, sa.Enum)]


def put_marked_first(site: Site, mark: str, per_table: int = 2) -> None:
    """Reorder `site.ids` so that each id parameter first names rows whose pages show `mark`:
    rows that other rows holding it refer to (an event with registrations, an answer with a
    note), rows whose parent holds it (an answer whose submission names an event), one table
    after the other, then rows holding it themselves."""
    tables = db.metadata.sorted_tables
    for name, ids in list(site.ids.items()):
        table = _table_for(name)
        if table is None:
            continue
        lists = []
        for other in tables:
            texts = _text_columns(other)
            for fk in other.foreign_keys if texts and other is not table else ():
                if fk.column.table is table:
                    holding = sa.or_(*(c.contains(mark) for c in texts))
                    query = sa.select(fk.parent).where(holding).distinct().limit(per_table)
                    lists.append([i for i in db.session.scalars(query) if i is not None])
        for fk in table.foreign_keys:  # rows whose parent holds it (an answer's submission)
            parent = fk.column.table
            if (texts := _text_columns(parent)) and parent is not table:
                holding = sa.or_(*(c.contains(mark) for c in texts))
                query = (
                    sa.select(table.c.id)
                    .join(parent, fk.parent == fk.column)
                    .where(holding)
                    .order_by(table.c.id.desc())
                )
                lists.append(list(db.session.scalars(query.limit(per_table))))
        if texts := _text_columns(table):
            holding = sa.or_(*(c.contains(mark) for c in texts))
            query = sa.select(table.c.id).where(holding).order_by(table.c.id.desc())
            lists.append(list(db.session.scalars(query.limit(per_table))))
        first = list(dict.fromkeys(i for row in itertools.zip_longest(*lists) for i in row if i))
        site.ids[name] = first + [i for i in ids if i not in first]
    db.session.commit()
