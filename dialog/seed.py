"""The "Mission Fachkraft. Ein Zukunftsdialog" demo content, loaded by `flask seed`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from dialog.accessibility import content as accessibility_content
from dialog.common import audit
from dialog.common.clock import BERLIN, today_local
from dialog.common.permissions import Role
from dialog.common.regions import Bundesland
from dialog.events.models import Event
from dialog.events.rules import EventKind, EventStatus
from dialog.extensions import db
from dialog.pages.models import Page
from dialog.process.models import GuidingQuestion, Phase, Process, ThemeField
from dialog.process.rules import PhaseKind, PhaseState, phase_state

PROCESS_SLUG = "mission-fachkraft"
# Published in the README: demo accounts exist only in demo mode (never in production).
DEMO_PASSWORD = "demo-zugang-2026"  # nosec B105 # noqa: S105 - public by design, demo mode only
DEMO_USERS = (
    ("admin@demo.example.org", "Demo Administration", Role.ADMIN),
    ("moderation@demo.example.org", "Demo Moderation", Role.MODERATOR),
    ("analyse@demo.example.org", "Demo Analyse", Role.ANALYST),
    ("analyseleitung@demo.example.org", "Demo Analyseleitung", Role.ANALYST_LEAD),
    ("bewertung@demo.example.org", "Demo Bewertung (extern)", Role.RATER),
    ("fachbeirat@demo.example.org", "Demo Fachbeirat (extern)", Role.RATER),
)

PROCESS = {
    "slug": PROCESS_SLUG,
    "title": "Mission Fachkraft. Ein Zukunftsdialog",
    "central_question": (
        "Wie und unter welchen Bedingungen können Beschäftigte und Unternehmen vom Wandel "
        "profitieren, und wie kann die Fachkräftesicherung gelingen?"
    ),
    "intro": (
        "Digitalisierung, Klimaschutz und der demografische Wandel verändern die Arbeitswelt. "
        "In vielen Branchen fehlen schon heute Fachkräfte. Im Zukunftsdialog **Mission "
        "Fachkraft** fragt das Ministerium Bürgerinnen und Bürger, Beschäftigte, Unternehmen, "
        "Sozialpartner, Verbände und Wissenschaft nach ihren Erfahrungen und Ideen.\n\n"
        "Ihre Antworten fließen in einen Ergebnisbericht ein, der die Arbeit des Ministeriums "
        "in den kommenden Jahren begleitet. Sie können anonym teilnehmen."
    ),
    "published": True,
    "featured": True,
}

PHASES = [
    (
        PhaseKind.ANALYSIS,
        "Analysephase",
        "Mit Fachleuten aus Wissenschaft und Praxis wurden die wichtigsten Fragen zur "
        "Fachkräftesicherung herausgearbeitet. Daraus sind vier Themenfelder mit Leitfragen "
        "entstanden.",
    ),
    (
        PhaseKind.DIALOGUE,
        "Dialogphase",
        "Alle Interessierten beantworten die Leitfragen online oder bei Veranstaltungen vor "
        "Ort: in den Bürgerdialogen „Hin.Gehört.“, in Praxiswerkstätten mit Unternehmen und in "
        "Stakeholder-Hearings.",
    ),
    (
        PhaseKind.RESULTS,
        "Veröffentlichung der Ergebnisse",
        "Die Beiträge werden ausgewertet und in einem Ergebnisbericht veröffentlicht. Sie "
        "erfahren hier, was aus Ihren Antworten geworden ist.",
    ),
]

HISTORICAL_DATES = {
    PhaseKind.ANALYSIS: (date(2023, 3, 1), date(2023, 8, 31)),
    PhaseKind.DIALOGUE: (date(2023, 9, 1), date(2024, 7, 31)),
    PhaseKind.RESULTS: (date(2024, 9, 1), date(2024, 12, 31)),
}


# With the results switch of demo mode, every phase lies this many days earlier: the
# Dialogphase ended two weeks ago and the results have been published since.
RESULTS_SHIFT_DAYS = 90


def demo_dates(today: date, *, results: bool = False) -> dict[PhaseKind, tuple[date, date]]:
    """Phase dates that place `today` inside the Dialogphase, so that everything is usable,
    or (`results`) inside the Veröffentlichung der Ergebnisse."""
    if results:
        return demo_dates(today - timedelta(days=RESULTS_SHIFT_DAYS))
    return {
        PhaseKind.ANALYSIS: (today - timedelta(days=150), today - timedelta(days=46)),
        PhaseKind.DIALOGUE: (today - timedelta(days=45), today + timedelta(days=75)),
        PhaseKind.RESULTS: (today + timedelta(days=76), today + timedelta(days=200)),
    }


def results_shown(phases: dict[PhaseKind, tuple[date, date]], today: date) -> bool:
    """Whether these phase dates place `today` inside the results phase (the switch is on)."""
    span = phases.get(PhaseKind.RESULTS)
    return span is not None and phase_state(today, *span) == PhaseState.CURRENT


@dataclass(frozen=True)
class Theme:
    slug: str
    title: str
    description: str
    questions: tuple[tuple[str, str], ...]  # (question, plain-language version)


THEMES = (
    Theme(
        "arbeitspotenziale-erschliessen",
        "Arbeitspotenziale erschließen",
        "Unsere Gesellschaft ist vielfältig – und viele Menschen, die arbeiten möchten, finden "
        "noch keinen passenden Platz im Arbeitsleben. Wie gelingt es, dass Frauen, ältere "
        "Menschen, Menschen mit Behinderungen und Menschen mit Migrationshintergrund ihre "
        "Fähigkeiten einbringen können?",
        (
            (
                "Was muss sich ändern, damit mehr Frauen, ältere Menschen, Menschen mit "
                "Behinderungen und Menschen mit Migrationshintergrund erwerbstätig sein können?",
                "Viele Menschen möchten arbeiten. Was hilft ihnen, eine Arbeit zu finden?",
            ),
            (
                "Wie kann die Politik unterstützen, dass Menschen ihre Potenziale am "
                "Arbeitsplatz entfalten?",
                "Was kann die Politik tun, damit Menschen bei der Arbeit zeigen können, "
                "was sie können?",
            ),
        ),
    ),
    Theme(
        "transformation-sozial-gestalten",
        "Transformation sozial gestalten",
        "Digitalisierung und Klimaschutz verändern Berufe, Branchen und Regionen. Damit "
        "Beschäftigte vom Wandel profitieren, braucht es gute Rahmenbedingungen – und "
        "Berufe, die für Fachkräfte attraktiv sind.",
        (
            (
                "Was sind Erfolgsfaktoren, dass Sie in Ihrem Arbeitsalltag von der digitalen "
                "und ökologischen Transformation profitieren können?",
                "Die Arbeit verändert sich durch Computer und Klimaschutz. Was hilft Ihnen dabei?",
            ),
            (
                "Was muss sich verändern, damit gesellschaftlich und wirtschaftlich besonders "
                "relevante Berufe und Branchen attraktiver für Fachkräfte werden?",
                "Manche Berufe sind sehr wichtig. Wie werden sie besser für die Menschen, die "
                "dort arbeiten?",
            ),
        ),
    ),
    Theme(
        "zukunftskompetenzen-foerdern",
        "Zukunftskompetenzen fördern",
        "Wer heute eine Ausbildung beginnt, arbeitet noch in 40 Jahren. Gute Bildung, eine "
        "attraktive Ausbildung und Weiterbildung im ganzen Berufsleben sind der Schlüssel, "
        "um mit dem Wandel Schritt zu halten.",
        (
            (
                "Was macht gute Bildung und eine attraktive Ausbildung in Zukunft aus?",
                "Was ist eine gute Schule und eine gute Ausbildung?",
            ),
            (
                "Welche Rolle spielt Weiterbildung in Ihrem Berufsalltag und was braucht es, "
                "damit Sie diese in Anspruch nehmen (können)?",
                "Lernen Sie bei der Arbeit Neues dazu? Was brauchen Sie dafür?",
            ),
        ),
    ),
    Theme(
        "gute-arbeit-voranbringen",
        "Gute Arbeit voranbringen",
        "Faire Löhne, Sicherheit, Mitbestimmung und eine Kultur, in der man gern arbeitet: "
        "Gute Arbeit hält Fachkräfte und gewinnt neue. Was gehört für Sie dazu, und wo muss "
        "der Gesetzgeber handeln?",
        (
            (
                "Was macht für Sie ein guter Arbeitsplatz und eine positive Unternehmenskultur "
                "aus?",
                "Wann ist ein Arbeitsplatz gut für Sie?",
            ),
            (
                "Welche Gesetze und Vorschriften sind erforderlich, um gute "
                "Arbeitsbedingungen sicherzustellen?",
                "Welche Regeln braucht es, damit die Arbeit gut ist?",
            ),
        ),
    ),
)

PAGES = (
    (
        "leichte-sprache",
        accessibility_content.EASY_LANGUAGE_TITLE,
        accessibility_content.EASY_LANGUAGE_BODY,
    ),
    (
        "gebaerdensprache",
        accessibility_content.SIGN_LANGUAGE_TITLE,
        accessibility_content.SIGN_LANGUAGE_BODY,
    ),
    (
        "datenschutz",
        "Datenschutzerklärung",
        "**Demo-Inhalt:** Vor dem Start ersetzt das Ministerium diesen Text durch seine geprüfte "
        "Datenschutzerklärung.\n\n"
        "## Verantwortliche Stelle und Datenschutzbeauftragte\n\nVerantwortlich ist das "
        "durchführende Bundesministerium (siehe Impressum). Die oder der behördliche "
        "Datenschutzbeauftragte ist unter datenschutz@ministerium.example erreichbar.\n\n"
        "## Welche Daten wir verarbeiten, wozu und auf welcher Grundlage\n\n"
        "- **Antworten auf die Leitfragen:** Sie können anonym teilnehmen; Name und "
        "E-Mail-Adresse werden nicht abgefragt. Ihre Antworten und freiwilligen Angaben "
        "(Perspektive, Bundesland, Altersgruppe – jeweils auch „keine Angabe“) werden für die "
        "Auswertung des Dialogs verarbeitet, auf Grundlage Ihrer Einwilligung (Art. 6 Abs. 1 "
        "lit. a DSGVO). Veröffentlicht werden Antworten nur, wenn Sie dem gesondert zustimmen.\n"
        "- **Ihr privater Link:** Wir speichern nur einen nicht umkehrbaren Fingerabdruck des "
        "Links. Mit dem Link können Sie Ihre Antworten jederzeit löschen; sie verschwinden "
        "dann aus der Veröffentlichung und der Auswertung.\n"
        "- **Schutz vor Missbrauch:** IP-Adressen werden nur kurzzeitig im Arbeitsspeicher zur "
        "Begrenzung der Anfragen verarbeitet und nicht mit Ihren Antworten gespeichert "
        "(Art. 6 Abs. 1 lit. e DSGVO).\n\n"
        "Diese Website verwendet keine Tracking- oder Analysewerkzeuge und lädt keine Inhalte "
        "von Dritten. Es wird nur ein technisch notwendiges Sitzungs-Cookie gesetzt.\n\n"
        "## Speicherdauer\n\nAntworten werden bis zum Abschluss der Auswertung und der "
        "Veröffentlichung des Ergebnisberichts gespeichert und danach gelöscht oder so "
        "zusammengefasst, dass kein Bezug zu einzelnen Personen mehr möglich ist.\n\n"
        "## Ihre Rechte\n\nSie haben das Recht auf Auskunft, Berichtigung, Löschung, "
        "Einschränkung der Verarbeitung und Widerruf Ihrer Einwilligung mit Wirkung für die "
        "Zukunft sowie das Recht auf Beschwerde bei der oder dem Bundesbeauftragten für den "
        "Datenschutz und die Informationsfreiheit (https://www.bfdi.bund.de).",
    ),
    (
        "impressum",
        "Impressum",
        "**Demo-Inhalt:** Hier stehen Name, Anschrift und Kontakt des verantwortlichen "
        "Bundesministeriums sowie die inhaltlich verantwortliche Person.",
    ),
    (
        "barrierefreiheit",
        accessibility_content.STATEMENT_TITLE,
        accessibility_content.STATEMENT_BODY,
    ),
    (
        "netiquette",
        "Netiquette",
        "Wir freuen uns über Ihre Beiträge. Damit der Dialog für alle gelingt, bitten wir um "
        "Folgendes:\n\n"
        "1. Bleiben Sie sachlich und respektvoll.\n"
        "2. Keine Beleidigungen, Diskriminierung, Hetze oder Gewaltaufrufe.\n"
        "3. Keine personenbezogenen Daten von Dritten.\n"
        "4. Keine Werbung und keine kommerziellen Inhalte.\n"
        "5. Bleiben Sie beim Thema der Leitfrage.\n\n"
        "Beiträge, die gegen diese Regeln verstoßen, werden nicht veröffentlicht. Die Gründe "
        "richten sich nach den Punkten oben.",
    ),
)


def seed(dates: str | None = None, today: date | None = None) -> dict[str, int]:
    """Create whatever part of the demo content is missing; never overwrite staff edits.

    `dates` ("demo" or "historical") additionally resets the phase dates of the process.
    Returns how many objects of each kind were created.
    """
    created = {"processes": 0, "phases": 0, "theme_fields": 0, "questions": 0, "pages": 0}
    process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))
    if process is None:
        process = audit.save(None, Process(), PROCESS, created=True, name="process")
        created["processes"] += 1
    wanted = HISTORICAL_DATES if dates == "historical" else demo_dates(today or today_local())
    existing = {p.kind: p for p in process.phases}
    for kind, title, description in PHASES:
        starts_on, ends_on = wanted[kind]
        phase = existing.get(kind)
        if phase is None:
            values = {
                "kind": kind,
                "title": title,
                "description": description,
                "starts_on": starts_on,
                "ends_on": ends_on,
            }
            audit.save(None, Phase(process=process), values, created=True, name="phase")
            created["phases"] += 1
        elif dates:
            audit.save(
                None,
                phase,
                {"starts_on": starts_on, "ends_on": ends_on},
                created=False,
                name="phase",
            )
    themes = {t.slug: t for t in process.theme_fields}
    for position, theme in enumerate(THEMES, start=1):
        if theme.slug in themes:
            continue
        values = {
            "slug": theme.slug,
            "title": theme.title,
            "description": theme.description,
            "position": position * 10,
        }
        field = audit.save(
            None, ThemeField(process=process), values, created=True, name="theme_field"
        )
        created["theme_fields"] += 1
        for q_position, (text, plain) in enumerate(theme.questions, start=1):
            values = {"text": text, "plain_language_text": plain, "position": q_position * 10}
            audit.save(
                None,
                GuidingQuestion(theme_field=field),
                values,
                created=True,
                name="guiding_question",
            )
            created["questions"] += 1
    slugs = set(db.session.scalars(sa.select(Page.slug)))
    for position, (slug, title, body) in enumerate(PAGES, start=1):
        if slug not in slugs:
            values = {
                "slug": slug,
                "title": title,
                "body": body,
                "in_footer": True,
                "position": position * 10,
            }
            audit.save(None, Page(), values, created=True, name="page")
            created["pages"] += 1
    db.session.flush()
    created["events"] = seed_events(process, dates, today or today_local())
    return created


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: EventKind
    city: str
    bundesland: Bundesland
    venue: str
    address: str
    capacity: int | None
    demo_days: int  # in demo mode: about this many days after today (negative: before)
    historical: date  # with --dates historical: during the process of 2023/2024
    starts: time = time(18, 0)  # citizen dialogues: weekday evenings
    hours: float = 2
    description: str = ""  # default: by kind


HIN_GEHOERT = (
    "Beim Bürgerdialog „Hin.Gehört.“ kommen Bürgerinnen und Bürger mit Mitgliedern der "
    "Bundesregierung ins Gespräch. An Dialoginseln diskutieren Sie in kleinen Runden zu den "
    "Themenfeldern von „Mission Fachkraft“. Die Teilnahme ist kostenlos; für Getränke und einen "
    "Imbiss ist gesorgt."
)
STEP_FREE = (
    "Der Veranstaltungsort ist stufenlos erreichbar; eine barrierefreie Toilette ist vorhanden. "
    "Eine Induktionsschleife und Gebärdensprachdolmetschung können Sie bei der Anmeldung "
    "angeben."
)
FINAL_CONFERENCE = "Abschlusskonferenz „Mission Fachkraft“"
FINAL_CONFERENCE_TEXT = (
    "Zum Abschluss des Zukunftsdialogs stellt das Ministerium die Handlungsempfehlungen vor, "
    "die aus Ihren Beiträgen entstanden sind, und berichtet, was davon schon auf den Weg "
    "gebracht ist."
)

# Two citizen dialogues have already taken place in demo mode (their documentation is part of
# the demo content); the others, the workshop and the hearing are still open for registration.
EVENTS = (
    DemoEvent(
        "Hin.Gehört. in Ettlingen",
        EventKind.CITIZEN_DIALOGUE,
        "Ettlingen",
        Bundesland.BW,
        "Stadthalle Ettlingen",
        "Friedrichstraße 14, 76275 Ettlingen",
        120,
        16,
        date(2023, 10, 12),
    ),
    DemoEvent(
        "Hin.Gehört. in Siegen",
        EventKind.CITIZEN_DIALOGUE,
        "Siegen",
        Bundesland.NW,
        "Siegerlandhalle",
        "Koblenzer Straße 151, 57072 Siegen",
        130,
        -33,
        date(2023, 11, 16),
    ),
    DemoEvent(
        "Hin.Gehört. in Schweinfurt",
        EventKind.CITIZEN_DIALOGUE,
        "Schweinfurt",
        Bundesland.BY,
        "Konferenzzentrum Maininsel",
        "Maininsel 10, 97421 Schweinfurt",
        125,
        -20,
        date(2024, 2, 22),
    ),
    DemoEvent(
        "Hin.Gehört. in Frankfurt (Oder)",
        EventKind.CITIZEN_DIALOGUE,
        "Frankfurt (Oder)",
        Bundesland.BB,
        "Kleist Forum",
        "Platz der Einheit 1, 15230 Frankfurt (Oder)",
        120,
        30,
        date(2024, 4, 18),
    ),
    DemoEvent(
        "Praxiswerkstatt: Fachkräfte gewinnen im Handwerk",
        EventKind.PRACTICE_WORKSHOP,
        "Hannover",
        Bundesland.NI,
        "Handwerkskammer Hannover",
        "Berliner Allee 17, 30175 Hannover",
        25,
        36,
        date(2024, 3, 7),
        starts=time(10, 0),
        hours=6,
    ),
    DemoEvent(
        "Stakeholder-Hearing: Arbeitsmarktintegration",
        EventKind.STAKEHOLDER_HEARING,
        "Berlin",
        Bundesland.BE,
        "Bundesministerium",
        "Wilhelmstraße 49, 10117 Berlin",
        40,
        52,
        date(2024, 5, 14),
        starts=time(13, 0),
        hours=4,
    ),
    DemoEvent(
        "Fachkräftekongress",
        EventKind.CONGRESS,
        "Berlin",
        Bundesland.BE,
        "bcc Berlin Congress Center",
        "Alexanderstraße 11, 10178 Berlin",
        None,
        64,
        date(2024, 6, 11),
        starts=time(9, 30),
        hours=8,
    ),
    DemoEvent(
        FINAL_CONFERENCE,
        EventKind.CONGRESS,
        "Berlin",
        Bundesland.BE,
        "Bundesministerium",
        "Wilhelmstraße 49, 10117 Berlin",
        None,
        92,
        date(2024, 11, 19),
        starts=time(10, 0),
        hours=6,
        description=FINAL_CONFERENCE_TEXT,
    ),
)

# Days of the week on which demo events take place: Tuesday to Thursday, like most real ones.
EVENT_WEEKDAYS = (1, 2, 3)


def event_day(day: date) -> date:
    """The first Tuesday, Wednesday or Thursday on or after `day`: demo events never fall on a
    weekend, a Monday or a Friday, whatever day the demo is loaded on."""
    while day.weekday() not in EVENT_WEEKDAYS:
        day += timedelta(days=1)
    return day


def event_times(event: DemoEvent, dates: str | None, today: date) -> dict[str, datetime]:
    """When a demo event starts and ends (UTC): on its historical date, or in demo mode on a
    weekday near `today` + its offset, at its local time in Berlin."""
    if dates == "historical":
        day = event.historical
    else:
        day = event_day(today + timedelta(days=event.demo_days))
    starts = datetime.combine(day, event.starts, tzinfo=BERLIN)
    ends = starts + timedelta(hours=event.hours)
    return {"starts_at": starts.astimezone(UTC), "ends_at": ends.astimezone(UTC)}


def seed_events(process: Process, dates: str | None, today: date) -> int:
    """The demo events (created once; `dates` also moves existing ones); returns how many new."""
    existing = {
        e.title: e
        for e in db.session.scalars(sa.select(Event).where(Event.process_id == process.id))
    }
    created = 0
    for demo in EVENTS:
        times = event_times(demo, dates, today)
        event = existing.get(demo.title)
        if event is None:
            values = {
                "process_id": process.id,
                "title": demo.title,
                "kind": demo.kind,
                "status": EventStatus.PUBLISHED,
                "city": demo.city,
                "bundesland": demo.bundesland,
                "venue": demo.venue,
                "address": demo.address,
                "capacity": demo.capacity,
                "description": demo.description
                or (
                    HIN_GEHOERT
                    if demo.kind == EventKind.CITIZEN_DIALOGUE
                    else "Weitere Informationen folgen."
                ),
                "accessibility": STEP_FREE,
                **times,
            }
            event = audit.save(None, Event(seats_taken=0), values, created=True, name="event")
            if demo.kind in (EventKind.CITIZEN_DIALOGUE, EventKind.PRACTICE_WORKSHOP):
                event.theme_fields = list(process.theme_fields)
            created += 1
        elif dates:
            audit.save(None, event, times, created=False, name="event")
    return created


def seed_demo_users() -> list[str]:
    """Create the missing demo accounts; returns the e-mail addresses created."""
    from dialog.accounts.services import create_user, find_user

    created = []
    for email, name, role in DEMO_USERS:
        if find_user(email) is None:
            create_user(None, email, DEMO_PASSWORD, {role}, name=name)
            created.append(email)
    return created
