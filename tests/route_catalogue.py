"""Every URL rule of the app, with a concrete address, the roles it is meant for and what it
answers them: the source of the authorization matrix and of the accessibility check of every page.

`seed_route_data()` (inside an app context, after the demo content) adds what the addresses need
(staff of every role, answers, a private link, events of each kind with a registration, an
application and an invitation, a code, a sample, a finished report draft, a code suggestion, a
published file) and returns their ids; `routes(app)` pairs every rule of `app.url_map` with its
entry here and `Route.expected(method, role)` gives the status each role must get.
`problems(app)` names every rule without an entry (tests/security/test_authorization_matrix.py
fails on them: add the new route below) and every entry whose rule is gone. `fresh_ids(route,
ids)` makes new rows for a POST that would use up the shared ones.

Works with the Flask test client and with the browser tests' live server alike: both only need
the app, an app context and the returned ids.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from dialog.accounts.models import User
from dialog.accounts.services import create_user
from dialog.common.clock import now_utc
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.extensions import db
from tests.conftest import PASSWORD

ANONYMOUS = "anonymous"
ROLES = (
    ANONYMOUS,
    Role.MODERATOR.value,
    Role.ANALYST.value,
    Role.ANALYST_LEAD.value,
    Role.ADMIN.value,
    Role.RATER.value,
)
ROLE_EMAILS = {role: f"route-{role.replace('_', '-')}@example.org" for role in ROLES[1:]}

EVERYONE = frozenset(ROLES)
STAFF = frozenset(ROLES[1:])
ADMIN = frozenset({Role.ADMIN.value})
MODERATOR = frozenset({Role.MODERATOR.value})
ANALYSTS = frozenset({Role.ANALYST.value, Role.ANALYST_LEAD.value})
ANALYSTS_AND_ADMIN = ANALYSTS | ADMIN  # export, report drafts, the list of samples
LEAD_AND_ADMIN = frozenset({Role.ANALYST_LEAD.value, Role.ADMIN.value})
RATERS = ANALYSTS | {Role.RATER.value}  # recommendations: analysts and invited raters
DOCUMENTERS = ANALYSTS_AND_ADMIN  # event documentation

IGNORED_ENDPOINTS = {"static"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Entry:
    """What the catalogue knows about one endpoint.

    path      the address, {placeholders} filled from the seeded ids
    roles     who may use it (ANONYMOUS included: everyone)
    get       what an allowed GET answers: a status, or a status per role
    post      what an allowed POST with nothing but a valid CSRF token answers
    page      the GET answer is an HTML page (checked by axe-core); False for files, redirects
    consumes  an allowed POST uses up or rewrites the row named so (deletes, decides, saves an
              edit form whose unsent checkboxes mean "off"): each such POST gets a fresh row
              from FRESH, so the shared rows stay as they are for the other tests
    ends_session  an allowed POST logs the client out (on every device)
    csrf_field    the name of the CSRF token field (forms with a prefix check it themselves)
    wrong_method  what a method the rule does not accept answers (405, unless another rule
                  takes the address with that method)
    """

    path: str
    roles: frozenset[str]
    get: int | Mapping[str, int] = 200
    post: int | Mapping[str, int] = 200
    page: bool = True
    consumes: str | None = None
    ends_session: bool = False
    csrf_field: str = "csrf_token"
    wrong_method: int = 405


@dataclass(frozen=True)
class Route:
    """One endpoint of the app with its entry and the methods its rule accepts."""

    endpoint: str
    rule: str
    methods: frozenset[str]
    entry: Entry = field(repr=False)

    @property
    def roles(self) -> frozenset[str]:
        return self.entry.roles

    def url(self, ids: Mapping[str, object], **overrides) -> str:
        return self.entry.path.format(**{**ids, **overrides})

    def expected(self, method: str, role: str) -> int:
        """The status `role` gets for `method` (POST: with a valid CSRF token, nothing else)."""
        if method not in self.methods:
            return self.entry.wrong_method
        if role not in self.entry.roles:
            return 302 if role == ANONYMOUS else 403  # anonymous visitors go to the login
        wanted = self.entry.get if method == "GET" else self.entry.post
        return wanted if isinstance(wanted, int) else wanted[role]

    @property
    def viewer(self) -> str:
        """The role whose view of the page the accessibility check looks at."""
        for role in (ANONYMOUS, Role.ADMIN.value, Role.MODERATOR.value, Role.ANALYST.value):
            if role in self.entry.roles:
                return role
        return sorted(self.entry.roles)[0]


def _staff(get: int = 200) -> dict[str, int]:
    """Logged-in staff are sent from the login page to their dashboard."""
    return {ANONYMOUS: get, **dict.fromkeys(STAFF, 302)}


ENTRIES: dict[str, Entry] = {
    # -- public pages ---------------------------------------------------------------------
    "process.home": Entry("/", EVERYONE),
    "process.show_process": Entry("/dialog/{process_slug}", EVERYONE),
    "answers.answer_theme": Entry("/dialog/{process_slug}/{theme_slug}", EVERYONE),
    # A POST to these reaches the theme field form's rule, which knows no such theme field.
    "answers.list_answers": Entry("/dialog/{process_slug}/antworten", EVERYONE, wrong_method=404),
    "answers.list_featured_answers": Entry("/antworten", EVERYONE, get=302, page=False),
    "answers.show_answer": Entry("/antworten/{answer_id}", EVERYONE),
    "answers.report_answer": Entry("/antworten/{answer_id}/melden", EVERYONE, post=302),
    "answers.own_submission": Entry(
        "/beitrag/{submission_token}", EVERYONE, post=302, consumes="submission_token"
    ),
    "answers.delete_submission": Entry(
        "/beitrag/{submission_token}/loeschen", EVERYONE, post=302, consumes="submission_token"
    ),
    # Notifications about results: a POST with only the CSRF token lacks address and consent.
    "notifications.subscribe": Entry(
        "/beitrag/{submission_token}/benachrichtigung", EVERYONE, post=400, page=False
    ),
    "notifications.confirm": Entry(
        "/benachrichtigung/{subscription_token}/bestaetigen",
        EVERYONE,
        consumes="subscription_token",
    ),
    "notifications.unsubscribe": Entry(
        "/benachrichtigung/{subscription_token}/abmelden", EVERYONE, consumes="subscription_token"
    ),
    "reports.results": Entry("/dialog/{process_slug}/ergebnisse", EVERYONE, wrong_method=404),
    "reports.download_file": Entry(
        "/dialog/{process_slug}/ergebnisse/dateien/{file_id}/{filename}", EVERYONE, page=False
    ),
    # Before the results phase (so in the demo content) the list is a notice and the open
    # data answer 404 with a German message.
    "public_recommendations.recommendation_results": Entry(
        "/dialog/{process_slug}/ergebnisse/empfehlungen", EVERYONE
    ),
    "public_recommendations.theme_results": Entry(
        "/dialog/{process_slug}/ergebnisse/empfehlungen/{theme_slug}", EVERYONE
    ),
    "public_recommendations.results_csv": Entry(
        "/dialog/{process_slug}/ergebnisse/empfehlungen.csv", EVERYONE, get=404, page=False
    ),
    "public_recommendations.results_json": Entry(
        "/dialog/{process_slug}/ergebnisse/empfehlungen.json", EVERYONE, get=404, page=False
    ),
    "public_recommendations.results_feed": Entry(
        "/dialog/{process_slug}/ergebnisse/empfehlungen.atom", EVERYONE, page=False
    ),
    "pages.show_page": Entry("/seite/{page_slug}", EVERYONE),
    "pages.switch_language": Entry("/sprache/de", EVERYONE, get=302, page=False),
    "accounts.login": Entry("/anmelden", EVERYONE, get=_staff(), post=200),
    "accounts.logout": Entry("/abmelden", STAFF, post=302, ends_session=True),
    "events.list_events": Entry("/veranstaltungen", EVERYONE),
    "events.calendar_feed": Entry("/veranstaltungen.ics", EVERYONE, page=False),
    "events.show_event": Entry("/veranstaltungen/{event_id}", EVERYONE),
    "events.event_ics": Entry("/veranstaltungen/{event_id}.ics", EVERYONE, page=False),
    "events.register": Entry("/veranstaltungen/{event_id}/anmeldung", EVERYONE),
    "events.registration_sent": Entry("/veranstaltungen/{event_id}/anmeldung/gesendet", EVERYONE),
    "events.apply": Entry("/veranstaltungen/{workshop_id}/bewerbung", EVERYONE),
    "events.application_sent": Entry("/veranstaltungen/{workshop_id}/bewerbung/gesendet", EVERYONE),
    "events.manage_registration": Entry(
        "/veranstaltungen/anmeldung/{registration_token}", EVERYONE, post=302
    ),
    "events.cancel_registration": Entry(
        "/veranstaltungen/anmeldung/{registration_token}/abmelden",
        EVERYONE,
        consumes="registration_token",
    ),
    "events.enter_invitation_code": Entry("/veranstaltungen/einladung", EVERYONE),
    "events.accept_invitation": Entry("/veranstaltungen/einladung/{invitation_code}", EVERYONE),
    "accessibility.easy_language": Entry("/seite/leichte-sprache", EVERYONE),
    "accessibility.sign_language": Entry("/seite/gebaerdensprache", EVERYONE),
    "accessibility.statement": Entry("/seite/barrierefreiheit", EVERYONE),
    "accessibility.feedback_sent": Entry("/seite/barrierefreiheit/danke", EVERYONE),
    "accessibility.short_easy_language": Entry("/leichte-sprache", EVERYONE, get=301, page=False),
    "accessibility.short_sign_language": Entry("/gebaerdensprache", EVERYONE, get=301, page=False),
    "accessibility.short_statement": Entry("/barrierefreiheit", EVERYONE, get=301, page=False),
    # -- for load balancers ---------------------------------------------------------------
    "health.show_liveness": Entry("/healthz", EVERYONE, page=False),
    "health.show_readiness": Entry("/readyz", EVERYONE, page=False),
    # -- every staff member ---------------------------------------------------------------
    "staff.dashboard": Entry("/staff/", STAFF),
    "accounts.change_password": Entry("/staff/passwort", STAFF),
    # -- moderation -----------------------------------------------------------------------
    "moderation.queue": Entry("/staff/moderation", MODERATOR),
    "moderation.moderate_answer": Entry("/staff/moderation/{answer_id}", MODERATOR, post=400),
    "moderation.bulk_moderate": Entry("/staff/moderation/sammelaktion", MODERATOR, post=302),
    "moderation.choose_offline_theme": Entry("/staff/beitraege/neu", MODERATOR),
    "moderation.enter_offline": Entry("/staff/beitraege/neu/{theme_id}", MODERATOR),
    # -- analysis -------------------------------------------------------------------------
    "coding.codebook": Entry("/staff/analyse/codebuch", ANALYSTS),
    "coding.edit_code": Entry("/staff/analyse/codebuch/{code_id}", ANALYSTS, post=302),
    "coding.retire_code": Entry(
        "/staff/analyse/codebuch/{code_id}/stilllegen", ANALYSTS, post=302, consumes="code_id"
    ),
    "coding.reactivate_code": Entry(
        "/staff/analyse/codebuch/{code_id}/reaktivieren", ANALYSTS, post=302, consumes="code_id"
    ),
    "coding.merge_code": Entry(
        "/staff/analyse/codebuch/{code_id}/zusammenfuehren", ANALYSTS, post=400
    ),
    "coding.list_answers": Entry("/staff/analyse/beitraege", ANALYSTS),
    "coding.code_answer": Entry("/staff/analyse/beitraege/{answer_id}", ANALYSTS, post=302),
    "coding.bulk_assign": Entry(
        "/staff/analyse/beitraege/sammelzuordnung?sammelcode={code_id}", ANALYSTS, post=302
    ),
    "coding.list_suggestions": Entry("/staff/analyse/vorschlaege", ANALYSTS),
    # Nothing but the token: no decision, back to the list.
    "coding.decide_suggestion": Entry(
        "/staff/analyse/vorschlaege/{suggestion_id}/entscheidung", ANALYSTS, post=302
    ),
    # Possible campaigns. The seeded group is confirmed, so that a detection keeps it; a POST
    # with nothing but the token decides nothing and splits nothing.
    "coding.list_campaigns": Entry("/staff/analyse/kampagnen", ANALYSTS),
    "coding.detect_campaigns": Entry("/staff/analyse/kampagnen/berechnen", ANALYSTS, post=302),
    "coding.show_campaign_group": Entry("/staff/analyse/kampagnen/{campaign_group_id}", ANALYSTS),
    "coding.decide_campaign_group": Entry(
        "/staff/analyse/kampagnen/{campaign_group_id}/entscheidung", ANALYSTS, post=400
    ),
    "coding.split_campaign_group": Entry(
        "/staff/analyse/kampagnen/{campaign_group_id}/aufteilen", ANALYSTS, post=400
    ),
    "coding.list_samples": Entry("/staff/analyse/stichproben", ANALYSTS_AND_ADMIN),
    "coding.new_sample": Entry("/staff/analyse/stichproben/neu", LEAD_AND_ADMIN, post=400),
    # Recommendations. The seeded one is in review, so that raters see it; a POST with nothing
    # but the token is refused by its form (400), except the lists (empty: the defaults).
    "recommendations.list_recommendations": Entry("/staff/empfehlungen", RATERS),
    "recommendations.new_recommendation": Entry("/staff/empfehlungen/neu", ANALYSTS, post=400),
    "recommendations.edit_options": Entry("/staff/empfehlungen/listen", ANALYSTS, post=302),
    "recommendations.show_recommendation": Entry("/staff/empfehlungen/{recommendation_id}", RATERS),
    "recommendations.edit_recommendation": Entry(
        "/staff/empfehlungen/{recommendation_id}/bearbeiten", ANALYSTS, post=400
    ),
    "recommendations.change_status": Entry(
        "/staff/empfehlungen/{recommendation_id}/status", ANALYSTS, post=400
    ),
    "recommendations.rate_recommendation": Entry(
        "/staff/empfehlungen/{recommendation_id}/bewertung", RATERS, post=400
    ),
    "recommendations.add_evidence": Entry(
        "/staff/empfehlungen/{recommendation_id}/belege/beitrag", ANALYSTS, post=400
    ),
    "recommendations.remove_evidence": Entry(
        "/staff/empfehlungen/{recommendation_id}/belege/{evidence_id}/entfernen",
        ANALYSTS,
        post=302,
        consumes="evidence_id",
    ),
    "recommendations.list_documented_events": Entry(
        "/staff/empfehlungen/veranstaltungen", DOCUMENTERS
    ),
    "recommendations.event_documentation": Entry(
        "/staff/empfehlungen/veranstaltungen/{event_id}", DOCUMENTERS, post=400
    ),
    "recommendations.final_conference": Entry(
        "/staff/empfehlungen/veranstaltungen/{event_id}/abschlusskonferenz", DOCUMENTERS, post=302
    ),
    "recommendations.edit_documentation": Entry(
        "/staff/empfehlungen/dokumentation/{documentation_id}", DOCUMENTERS, post=400
    ),
    "recommendations.delete_documentation": Entry(
        "/staff/empfehlungen/dokumentation/{documentation_id}/loeschen",
        DOCUMENTERS,
        post=302,
        consumes="documentation_id",
    ),
    # The seeded entry has no file.
    "recommendations.documentation_file": Entry(
        "/staff/empfehlungen/dokumentation/{documentation_id}/datei",
        DOCUMENTERS,
        get=404,
        page=False,
    ),
    "export.export_dataset": Entry("/staff/export", ANALYSTS_AND_ADMIN),
    "reports.staff_reports": Entry("/staff/berichte", ANALYSTS_AND_ADMIN),
    "reports.request_draft": Entry("/staff/berichte/entwurf", ANALYSTS_AND_ADMIN),
    "reports.download_draft": Entry(
        "/staff/berichte/entwuerfe/{job_id}/bericht-entwurf.zip", ANALYSTS_AND_ADMIN, page=False
    ),
    "reports.show_draft": Entry("/staff/berichte/entwuerfe/{job_id}", ANALYSTS_AND_ADMIN),
    # The seeded draft is an empty zip: no themes to take over, back to its page.
    "reports.adopt_theme": Entry(
        "/staff/berichte/entwuerfe/{job_id}/themen/{theme_id}/1/code", ANALYSTS, post=302
    ),
    # -- administration -------------------------------------------------------------------
    "reports.publish": Entry("/staff/berichte/{process_id}/veroeffentlichung", ADMIN),
    "reports.publish_report": Entry(
        "/staff/berichte/{process_id}/bericht", ADMIN, post=302, csrf_field="report-csrf_token"
    ),
    "reports.add_download": Entry(
        "/staff/berichte/{process_id}/downloads",
        ADMIN,
        post=302,
        csrf_field="download-csrf_token",
    ),
    "reports.move_file": Entry(
        "/staff/berichte/{process_id}/dateien/{file_id}/verschieben", ADMIN, post=302
    ),
    "reports.remove_file": Entry(
        "/staff/berichte/{process_id}/dateien/{file_id}/entfernen",
        ADMIN,
        post=302,
        consumes="file_id",
    ),
    "accounts.list_users": Entry("/staff/konten", ADMIN),
    "accounts.new_user": Entry("/staff/konten/neu", ADMIN),
    "accounts.edit_user": Entry("/staff/konten/{user_id}", ADMIN),
    "staff.show_outbox": Entry("/staff/postausgang", ADMIN),
    "accessibility.staff_feedback": Entry("/staff/barrierefreiheit", ADMIN),
    "accessibility.mark_feedback_done": Entry(
        "/staff/barrierefreiheit/{feedback_id}/erledigt", ADMIN, post=302, consumes="feedback_id"
    ),
    "accessibility.delete_feedback": Entry(
        "/staff/barrierefreiheit/{feedback_id}/loeschen", ADMIN, post=302, consumes="feedback_id"
    ),
    "staff.retry_mails": Entry("/staff/postausgang/erneut-versuchen", ADMIN, post=302),
    # a POST without the phase to show is refused (the switch is tested in test_demo_content)
    "demo.switch_phase": Entry("/staff/demo/phase", ADMIN, post=400),
    "staff.audit_log": Entry("/staff/protokoll", ADMIN),
    "staff.list_processes": Entry("/staff/prozesse", ADMIN),
    "staff.new_process": Entry("/staff/prozesse/neu", ADMIN),
    "staff.edit_process": Entry(
        "/staff/prozesse/{process_id}", ADMIN, post=302, consumes="process_id"
    ),
    "staff.new_phase": Entry("/staff/prozesse/{process_id}/phasen/neu", ADMIN),
    "staff.edit_phase": Entry("/staff/prozesse/{process_id}/phasen/{phase_id}", ADMIN),
    "staff.delete_phase": Entry(
        "/staff/prozesse/{process_id}/phasen/{phase_id}/loeschen",
        ADMIN,
        post=302,
        consumes="phase_id",
    ),
    "staff.new_theme_field": Entry("/staff/prozesse/{process_id}/themen/neu", ADMIN),
    "staff.edit_theme_field": Entry("/staff/prozesse/{process_id}/themen/{theme_id}", ADMIN),
    "staff.new_question": Entry("/staff/themen/{theme_id}/fragen/neu", ADMIN),
    "staff.edit_question": Entry("/staff/themen/{theme_id}/fragen/{question_id}", ADMIN),
    "staff.list_pages": Entry("/staff/seiten", ADMIN),
    "staff.new_page": Entry("/staff/seiten/neu", ADMIN),
    "staff.edit_page": Entry("/staff/seiten/{page_id}", ADMIN),
    "staff.delete_page": Entry(
        "/staff/seiten/{page_id}/loeschen", ADMIN, post=302, consumes="page_id"
    ),
    "events.staff_list_events": Entry("/staff/veranstaltungen", ADMIN),
    "events.new_event": Entry("/staff/veranstaltungen/neu", ADMIN),
    "events.staff_event": Entry("/staff/veranstaltungen/{event_id}", ADMIN),
    "events.edit_event": Entry(
        "/staff/veranstaltungen/{event_id}/bearbeiten", ADMIN, post=302, consumes="event_id"
    ),
    "events.cancel_event": Entry("/staff/veranstaltungen/{event_id}/absagen", ADMIN),
    "events.message_participants": Entry("/staff/veranstaltungen/{event_id}/nachricht", ADMIN),
    "events.check_in_list": Entry("/staff/veranstaltungen/{event_id}/einlass", ADMIN),
    "events.check_in": Entry(
        "/staff/veranstaltungen/{event_id}/einlass/{registration_id}", ADMIN, post=302
    ),
    "events.download_participants": Entry(
        "/staff/veranstaltungen/{event_id}/teilnehmende.csv", ADMIN, page=False
    ),
    "events.decide_application": Entry(
        "/staff/veranstaltungen/{workshop_id}/bewerbungen/{application_id}",
        ADMIN,
        post=302,
        consumes="application_id",
    ),
    "events.invite": Entry("/staff/veranstaltungen/{hearing_id}/einladungen/neu", ADMIN),
    "events.revoke_invitation": Entry(
        "/staff/veranstaltungen/{hearing_id}/einladungen/{invitation_id}/widerrufen",
        ADMIN,
        post=302,
        consumes="invitation_id",
    ),
    "events.edit_quotas": Entry(
        "/staff/veranstaltungen/{hearing_id}/kontingente", ADMIN, post=302, consumes="hearing_id"
    ),
}


class UnknownRoutes(AssertionError):
    """The app has rules the catalogue does not know (or the catalogue has stale entries)."""


def problems(app: Flask) -> list[str]:
    """What keeps the catalogue from covering `app.url_map` exactly, one message each."""
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - IGNORED_ENDPOINTS
    messages = [
        f"new route {rule.endpoint} ({rule.rule}): add it to tests/route_catalogue.py"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in IGNORED_ENDPOINTS and rule.endpoint not in ENTRIES
    ]
    messages += [
        f"route {endpoint} is gone from the app: remove it from tests/route_catalogue.py"
        for endpoint in sorted(set(ENTRIES) - endpoints)
    ]
    return messages


def routes(app: Flask) -> list[Route]:
    """Every catalogued rule of `app`, in URL order; raises UnknownRoutes for unknown ones."""
    found = problems(app)
    if found:
        raise UnknownRoutes("\n".join(found))
    return [
        Route(
            rule.endpoint,
            rule.rule,
            frozenset(rule.methods - IGNORED_METHODS),
            ENTRIES[rule.endpoint],
        )
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
        if rule.endpoint not in IGNORED_ENDPOINTS
    ]


def known_routes(app: Flask) -> list[Route]:
    """The rules the catalogue knows, skipping unknown ones (reported by `problems`)."""
    return [
        Route(rule.endpoint, rule.rule, frozenset(rule.methods - IGNORED_METHODS), entry)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
        if (entry := ENTRIES.get(rule.endpoint)) is not None
    ]


# -- seeding ------------------------------------------------------------------------------


def _user(role: str) -> User:
    email = ROLE_EMAILS[role]
    existing = db.session.scalar(sa.select(User).where(User.email == email))
    return existing or create_user(None, email, PASSWORD, {Role(role)})


def _event(process, kind, title: str, capacity: int = 20):
    """A published event of `kind` in twelve days, open for registration."""
    from dialog.events.models import Event
    from dialog.events.rules import EventStatus

    starts = now_utc().replace(microsecond=0) + timedelta(days=12)
    event = Event(
        process_id=process.id,
        kind=kind,
        status=EventStatus.PUBLISHED,
        title=title,
        city="Kassel",
        bundesland=Bundesland.HE,
        venue="Stadthalle",
        address="Holländische Straße 1, 34127 Kassel",
        description="Eine Veranstaltung für den Routenkatalog der Tests.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=capacity,
        seats_taken=0,
    )
    event.theme_fields = list(process.theme_fields[:2])
    db.session.add(event)
    db.session.flush()
    return event


def _submission(theme) -> tuple[int, str]:
    """An online submission answering every question of `theme`; (its id, its private token)."""
    from dialog.answers import services as answers

    nonce = secrets.token_urlsafe(24)
    token = answers.private_token(current_app.config["SECRET_KEY"], nonce)
    texts = {q.id: f"Antwort auf „{q.text[:40]}“ für den Routenkatalog." for q in theme.questions}
    submission_id = answers.submit(
        theme,
        texts,
        answers.Profile(),
        publication_consent=True,
        nonce=nonce,
        token=token,
    )
    return submission_id, token


def _subscription(theme) -> str:
    """An address left for notifications about results (of a submission of its own); the
    token of its links."""
    from dialog.answers.models import Submission
    from dialog.notifications import services as notifications

    submission_id, _token = _submission(theme)
    subscription = notifications.subscribe(
        db.session.get(Submission, submission_id), "leser@example.org", now_utc()
    )
    return notifications.token_of(subscription)


def _registration(event_id: int, email: str | None = None) -> tuple[int, str]:
    from dialog.events import services as events
    from dialog.events.models import Event

    event = db.session.get(Event, event_id)
    person = events.Registrant(
        name="Erika Muster", email=email or f"teilnahme-{secrets.token_hex(4)}@example.org"
    )
    registration = events.register(event, person)
    return registration.id, events.link_token(registration)


def _application(event_id: int) -> int:
    from dialog.events import applications
    from dialog.events.models import Event
    from dialog.events.rules import CompanySize

    event = db.session.get(Event, event_id)
    application = applications.apply(
        event,
        applications.CompanyApplication(
            company="Muster Pflege GmbH",
            sector="Pflege",
            size=CompanySize.SMALL,
            bundesland=Bundesland.HE,
            contact_name="Max Muster",
            contact_email=f"bewerbung-{secrets.token_hex(4)}@example.org",
            motivation="Wir bilden seit Jahren aus und möchten davon erzählen.",
        ),
    )
    return application.id


def _invitation(event_id: int, actor: User) -> tuple[int, str]:
    from dialog.events import invitations
    from dialog.events.models import Event
    from dialog.events.rules import StakeholderGroup

    invitation, code = invitations.issue(
        actor,
        db.session.get(Event, event_id),
        organisation="Verband der Musterbetriebe",
        group=StakeholderGroup.ASSOCIATIONS,
        email="",
        expires_at=None,
    )
    db.session.flush()
    return invitation.id, code


def _published_file(process, actor: User) -> tuple[int, str]:
    from dialog.reports import rules
    from dialog.reports import services as reports
    from dialog.reports.rules import FileKind

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    published = reports.publish_file(
        actor,
        process,
        FileKind.DOWNLOAD,
        rules.PDF,
        pdf,
        f"Tabellenanhang {secrets.token_hex(2)}",
        "Alle Zahlen zum Nachlesen.",
    )
    db.session.flush()
    return published.id, published.filename


def _phase(actor: User) -> tuple[int, int]:
    """A process of its own with one phase, for deleting: (process id, phase id)."""
    from dialog.process.models import Phase, Process
    from dialog.process.rules import PhaseKind

    today = now_utc().date()
    process = Process(
        title="Prozess zum Löschen einer Phase",
        slug=f"loeschprobe-{secrets.token_hex(4)}",
        central_question="Was bleibt?",
        intro="",
        published=False,
        featured=False,
    )
    phase = Phase(
        process=process,
        kind=PhaseKind.ANALYSIS,
        title="Analysephase",
        description="",
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    db.session.add_all([process, phase])
    db.session.flush()
    return process.id, phase.id


def _page() -> int:
    from dialog.pages.models import Page

    page = Page(
        slug=f"probe-{secrets.token_hex(4)}",
        title="Probeseite",
        body="<p>Eine Seite zum Löschen.</p>",
        in_footer=False,
        position=99,
    )
    db.session.add(page)
    db.session.flush()
    return page.id


def _feedback() -> int | None:
    """A message on the accessibility form, where that part of the app exists."""
    try:
        from dialog.accessibility.models import AccessibilityFeedback
    except ImportError:
        return None
    feedback = AccessibilityFeedback(
        name="Erika Muster",
        email="rueckmeldung@example.org",
        page_url="/veranstaltungen",
        message="Der Kalender lässt sich mit der Tastatur schlecht bedienen.",
    )
    db.session.add(feedback)
    db.session.flush()
    return feedback.id


def _campaign_group(answers) -> int:
    """A confirmed group of near-copies holding `answers`, with a review note."""
    from dialog.quality.models import CampaignGroup
    from dialog.quality.rules import CampaignStatus

    group = CampaignGroup(
        process_id=answers[0].submission.theme_field.process_id,
        status=CampaignStatus.CONFIRMED,
        representative_id=answers[0].id,
        size=len(answers),
        similarity_min=0.9,
        similarity_median=1.0,
        reviewed_at=now_utc(),
        note="Für den Routenkatalog bestätigt.",
    )
    db.session.add(group)
    db.session.flush()
    for answer in answers:
        answer.campaign_group_id = group.id
        answer.campaign_similarity = 1.0
        answer.flag_spam_reason = "Link oder Domain"
        answer.language = "de"
        answer.quality_checked_at = now_utc()
    return group.id


def _documentation(event_id: int, actor: User) -> int:
    from dialog.events.models import Event
    from dialog.recommendations import services as recs

    entry = recs.create_entry(
        actor,
        db.session.get(Event, event_id),
        recs.EntryInput(text="Mehr Kitaplätze", session_label="Dialoginsel 1", agreement_count=7),
    )
    return entry.id


def _evidence(recommendation_id: int, answer_id: int | None = None) -> int:
    from dialog.recommendations.models import RecommendationEvidence
    from dialog.recommendations.rules import EvidenceKind

    if answer_id is None:
        from dialog.answers.models import Answer

        linked = sa.select(RecommendationEvidence.answer_id).where(
            RecommendationEvidence.recommendation_id == recommendation_id,
            RecommendationEvidence.answer_id.is_not(None),
        )
        answer_id = db.session.scalar(
            sa.select(Answer.id).where(Answer.id.not_in(linked)).order_by(Answer.id)
        )
    evidence = RecommendationEvidence(
        recommendation_id=recommendation_id, kind=EvidenceKind.ANSWER, answer_id=answer_id
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence.id


def _recommendation(
    process, analyst: User, answer_id: int, event_id: int, own_answer_id: int
) -> dict[str, int]:
    """A recommendation in review with one answer as evidence, and a documentation entry."""
    from dialog.recommendations import services as recs
    from dialog.recommendations.rules import RecommendationStatus

    rec = recs.create_recommendation(
        analyst,
        process,
        recs.RecommendationInput(
            title="Kita-Ausbau beschleunigen",
            text="Der Bund fördert den Ausbau.",
            theme_field_ids=[process.theme_fields[0].id],
        ),
    )
    rec.status = RecommendationStatus.IN_REVIEW
    _published_recommendation(process, analyst, own_answer_id, event_id)
    return {
        "recommendation_id": rec.id,
        "evidence_id": _evidence(rec.id, answer_id),
        "documentation_id": _documentation(event_id, analyst),
    }


def _published_recommendation(process, analyst: User, answer_id: int, event_id: int) -> None:
    """A recommendation in progress, supported by the pending answer of the private link and
    presented at the event, marked as the Abschlusskonferenz: the private link and the event
    page show it."""
    from dialog.events.models import Event
    from dialog.recommendations import services as recs
    from dialog.recommendations.models import RecommendationStatusChange
    from dialog.recommendations.rules import RecommendationStatus

    rec = recs.create_recommendation(
        analyst,
        process,
        recs.RecommendationInput(
            title="Ganztag verlässlich machen",
            text="<p>Länder und Kommunen bauen den Ganztag aus.</p>",
            theme_field_ids=[process.theme_fields[0].id],
            addressee="Länder",
        ),
    )
    rec.status = RecommendationStatus.IN_PROGRESS
    db.session.add(
        RecommendationStatusChange(
            recommendation_id=rec.id,
            from_status=RecommendationStatus.INCLUDED,
            to_status=RecommendationStatus.IN_PROGRESS,
            public_note="Ein Förderprogramm ist beschlossen.",
            progress_percent=30,
            link="https://www.example.org/foerderprogramm",
        )
    )
    recs.add_answer(analyst, rec, answer_id)
    recs.set_final_conference(analyst, db.session.get(Event, event_id), True, [rec.id])


def _hidden_rows(process) -> dict[str, object]:
    """An unpublished process with a theme field and a draft event: staff only."""
    from dialog.events.rules import EventKind, EventStatus
    from dialog.process.models import Process, ThemeField

    hidden = Process(
        title="Ein noch nicht veröffentlichter Dialog",
        slug=f"entwurf-{secrets.token_hex(3)}",
        central_question="Wie geht es weiter?",
        intro="",
        published=False,
        featured=False,
    )
    theme = ThemeField(process=hidden, slug="verborgen", title="Verborgenes Themenfeld")
    db.session.add_all([hidden, theme])
    draft = _event(process, EventKind.CITIZEN_DIALOGUE, "Hin.Gehört. in Planung")
    draft.status = EventStatus.DRAFT
    return {
        "hidden_process_slug": hidden.slug,
        "hidden_theme_slug": theme.slug,
        "draft_event_id": draft.id,
    }


def seed_route_data() -> dict[str, object]:
    """Add what the catalogued addresses need and commit; returns the ids and slugs.

    Call inside an app context of the app under test. Seeds the demo content first if it is
    missing; the staff accounts (one role each, password PASSWORD) are those of ROLE_EMAILS.
    """
    from dialog.answers.models import Answer
    from dialog.answers.rules import AnswerStatus
    from dialog.coding import services as coding
    from dialog.coding.models import CodeSuggestion
    from dialog.events.rules import EventKind
    from dialog.pages.models import Page
    from dialog.process.models import Phase, Process
    from dialog.process.rules import PhaseKind
    from dialog.reports.models import ReportJob
    from dialog.reports.rules import JobStatus
    from dialog.seed import PROCESS_SLUG, THEMES, seed

    process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))
    if process is None:
        seed(dates="demo")
        process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))
    users = {role: _user(role) for role in ROLES[1:]}
    admin = users[Role.ADMIN.value]
    other = create_user(
        None, f"route-other-{secrets.token_hex(3)}@example.org", PASSWORD, {Role.MODERATOR}
    )
    theme = next(t for t in process.theme_fields if t.slug == THEMES[0].slug)

    _shown_id, _ = _submission(theme)
    submission_id, submission_token = _submission(theme)
    answers = list(db.session.scalars(sa.select(Answer).order_by(Answer.id)))
    published = answers[0]
    for answer in answers:
        if answer.submission_id != submission_id:
            answer.status = AnswerStatus.PUBLISHED
            answer.moderated_at = answer.published_at = now_utc()

    event = _event(process, EventKind.CITIZEN_DIALOGUE, "Hin.Gehört. in Kassel")
    workshop = _event(process, EventKind.PRACTICE_WORKSHOP, "Praxiswerkstatt Pflege in Kassel")
    hearing = _event(process, EventKind.STAKEHOLDER_HEARING, "Stakeholder-Hearing in Kassel")
    registration_id, registration_token = _registration(event.id)
    application_id = _application(workshop.id)
    invitation_id, invitation_code = _invitation(hearing.id, admin)

    code = coding.create_code(users[Role.ANALYST.value], process.id, label="Weiterbildung")
    coding.create_sample(
        users[Role.ANALYST_LEAD.value],
        process.id,
        name="Stichprobe Routenkatalog",
        percent=50.0,
        coder_a=users[Role.ANALYST.value],
        coder_b=users[Role.ANALYST_LEAD.value],
        filters=coding.CodingFilters(),
        filter_args={},
    )
    finished = now_utc()
    job = ReportJob(
        process_id=process.id,
        requested_by_id=users[Role.ANALYST.value].id,
        requested_at=finished - timedelta(minutes=5),
        status=JobStatus.DONE,
        started_at=finished - timedelta(minutes=4),
        finished_at=finished,
        attempts=1,
        export_sha256="0" * 64,
        result=b"PK\x05\x06" + b"\0" * 18,  # an empty zip archive
        result_size=22,
    )
    db.session.add(job)
    db.session.flush()
    suggestion = CodeSuggestion(
        answer_id=published.id,
        code_id=code.id,
        report_job_id=job.id,
        theme_field_id=published.theme_field_id,
        theme=1,
    )
    db.session.add(suggestion)
    file_id, filename = _published_file(process, admin)
    hidden = _hidden_rows(process)
    db.session.flush()

    ids = {
        "process_id": process.id,
        "process_slug": process.slug,
        "phase_id": db.session.scalar(
            sa.select(Phase.id).where(
                Phase.process_id == process.id, Phase.kind == PhaseKind.DIALOGUE
            )
        ),
        "theme_id": theme.id,
        "theme_slug": theme.slug,
        "question_id": theme.questions[0].id,
        "page_id": db.session.scalar(sa.select(Page.id).where(Page.slug == "datenschutz")),
        "page_slug": "datenschutz",
        "answer_id": published.id,
        "submission_token": submission_token,
        "subscription_token": _subscription(theme),
        "event_id": event.id,
        "workshop_id": workshop.id,
        "hearing_id": hearing.id,
        "registration_id": registration_id,
        "registration_token": registration_token,
        "application_id": application_id,
        "invitation_id": invitation_id,
        "invitation_code": invitation_code,
        "code_id": code.id,
        "job_id": job.id,
        "suggestion_id": suggestion.id,
        "file_id": file_id,
        "filename": filename,
        "user_id": other.id,
        "feedback_id": _feedback(),
        "pending_answer_id": next(a.id for a in answers if a.submission_id == submission_id),
        "campaign_group_id": _campaign_group(answers[:3]),
        **_recommendation(
            process,
            users[Role.ANALYST.value],
            published.id,
            event.id,
            next(a.id for a in answers if a.submission_id == submission_id),
        ),
        **hidden,
    }
    db.session.commit()
    return ids


def _fresh_submission(ids: Mapping[str, object]) -> dict[str, object]:
    from dialog.process.models import ThemeField

    _, token = _submission(db.session.get(ThemeField, ids["theme_id"]))
    return {"submission_token": token}


def _fresh_subscription(ids: Mapping[str, object]) -> dict[str, object]:
    from dialog.process.models import ThemeField

    return {"subscription_token": _subscription(db.session.get(ThemeField, ids["theme_id"]))}


def _fresh_registration(ids: Mapping[str, object]) -> dict[str, object]:
    _, token = _registration(ids["event_id"])
    return {"registration_token": token}


def _fresh_event(ids: Mapping[str, object]) -> dict[str, object]:
    from dialog.events.rules import EventKind
    from dialog.process.models import Process

    process = db.session.get(Process, ids["process_id"])
    return {"event_id": _event(process, EventKind.CITIZEN_DIALOGUE, "Hin.Gehört. zum Absagen").id}


def _admin() -> User:
    return db.session.scalar(sa.select(User).where(User.email == ROLE_EMAILS["admin"]))


def _fresh_hearing(ids: Mapping[str, object]) -> dict[str, object]:
    from dialog.events.rules import EventKind
    from dialog.process.models import Process

    process = db.session.get(Process, ids["process_id"])
    hearing = _event(process, EventKind.STAKEHOLDER_HEARING, "Stakeholder-Hearing zum Ändern")
    return {"hearing_id": hearing.id}


def _fresh_code(ids: Mapping[str, object]) -> dict[str, object]:
    from dialog.coding import services as coding

    analyst = db.session.scalar(sa.select(User).where(User.email == ROLE_EMAILS["analyst"]))
    label = f"Code {secrets.token_hex(3)}"
    return {"code_id": coding.create_code(analyst, ids["process_id"], label=label).id}


def _fresh_file(ids: Mapping[str, object]) -> dict[str, object]:
    from dialog.process.models import Process

    file_id, filename = _published_file(db.session.get(Process, ids["process_id"]), _admin())
    return {"file_id": file_id, "filename": filename}


def _fresh_phase(ids: Mapping[str, object]) -> dict[str, object]:
    process_id, phase_id = _phase(_admin())
    return {"process_id": process_id, "phase_id": phase_id}


# Makers of a fresh row for an allowed POST that uses one up; each returns the ids to override.
FRESH: dict[str, Callable[[Mapping[str, object]], dict[str, object]]] = {
    "submission_token": _fresh_submission,
    "subscription_token": _fresh_subscription,
    "registration_token": _fresh_registration,
    "event_id": _fresh_event,
    "file_id": _fresh_file,
    "phase_id": _fresh_phase,
    "process_id": _fresh_phase,
    "hearing_id": _fresh_hearing,
    "feedback_id": lambda ids: {"feedback_id": _feedback()},
    "code_id": _fresh_code,
    "page_id": lambda ids: {"page_id": _page()},
    "application_id": lambda ids: {"application_id": _application(ids["workshop_id"])},
    "invitation_id": lambda ids: {"invitation_id": _invitation(ids["hearing_id"], _admin())[0]},
    "evidence_id": lambda ids: {"evidence_id": _evidence(ids["recommendation_id"])},
    "documentation_id": lambda ids: {"documentation_id": _documentation(ids["event_id"], _admin())},
}


def fresh_ids(route: Route, ids: Mapping[str, object]) -> dict[str, object]:
    """The ids for an allowed POST to `route`: fresh rows for what it uses up (committed)."""
    if route.entry.consumes is None:
        return dict(ids)
    overrides = FRESH[route.entry.consumes](ids)
    db.session.commit()
    return {**ids, **overrides}
