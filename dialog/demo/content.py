"""The demo material of Mission Fachkraft, loaded by `flask seed --demo-content` (demo mode).

A few hundred generated, fictitious answers over all four theme fields (most published, most
coded with the generated codebook, with a double-coding sample, the newest still uncoded),
the documentation of the demo citizen dialogues that have taken place, twelve recommendations
with their evidence, ratings and status history, and the Abschlusskonferenz presenting some
of them. Everything goes through the services (versions, history, audit log), as if the demo
staff had done it. Each part is created once (the answers once per process, the documentation
once per event, the recommendations while the process has none); nothing existing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from dialog.accounts.models import User
from dialog.answers.generate import generate_answers
from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus
from dialog.coding.generate import generate_codings
from dialog.coding.models import Code
from dialog.common import audit
from dialog.common.audit import AuditEntry
from dialog.common.clock import now_utc
from dialog.events.models import Event
from dialog.extensions import db
from dialog.process.models import Process
from dialog.recommendations import services as recs
from dialog.recommendations.models import (
    EventDocumentationEntry,
    Recommendation,
    RecommendationStatusChange,
)
from dialog.recommendations.rules import RecommendationStatus as S
from dialog.seed import FINAL_CONFERENCE, PROCESS_SLUG, seed_demo_users

CODED_ANSWERS = 240  # generated first and coded
UNCODED_ANSWERS = 60  # generated after the coding: the newest, still to be coded
ANSWER_SEED = 2026
SAMPLES = (("Doppelkodierung Demo", 10.0),)  # one sample of a tenth of the coded answers
MARKER = "process.generate_demo_answers"  # the audit entry that says the answers were made
EVIDENCE_ANSWERS = 4  # answers linked one by one to each recommendation

ANALYST = "analyse@demo.example.org"
LEAD = "analyseleitung@demo.example.org"
RATERS = (ANALYST, LEAD, "bewertung@demo.example.org", "fachbeirat@demo.example.org")
ADMIN = "admin@demo.example.org"


@dataclass(frozen=True)
class Point:
    """A point raised at a Dialoginsel of a demo citizen dialogue."""

    event: str  # the event's title
    session: str
    theme: str  # theme field slug
    text: str
    dots: int | None  # pinboard dots


POINTS = (
    Point(
        "Hin.Gehört. in Siegen",
        "Dialoginsel 1",
        "arbeitspotenziale-erschliessen",
        "Anerkennungsverfahren dauern zu lange; gewünscht: ein digitaler Antrag mit fester "
        "Frist und eine Stelle, die alles koordiniert.",
        23,
    ),
    Point(
        "Hin.Gehört. in Siegen",
        "Dialoginsel 2",
        "transformation-sozial-gestalten",
        "Neue Software kommt ohne Schulung; Beschäftigte wollen vorher mitreden und lernen.",
        14,
    ),
    Point(
        "Hin.Gehört. in Siegen",
        "Dialoginsel 3",
        "zukunftskompetenzen-foerdern",
        "Weiterbildung scheitert an der Freistellung: bezahlte Bildungszeit fehlt.",
        19,
    ),
    Point(
        "Hin.Gehört. in Siegen",
        "Dialoginsel 4",
        "gute-arbeit-voranbringen",
        "Junge Beschäftigte hangeln sich von Befristung zu Befristung und planen keine Familie.",
        11,
    ),
    Point(
        "Hin.Gehört. in Schweinfurt",
        "Dialoginsel 1",
        "arbeitspotenziale-erschliessen",
        "Ohne Kitaplatz bis zum Nachmittag bleibt Teilzeit die einzige Möglichkeit.",
        27,
    ),
    Point(
        "Hin.Gehört. in Schweinfurt",
        "Dialoginsel 2",
        "transformation-sozial-gestalten",
        "In Pflege und Handwerk zahlen zu wenige Betriebe nach Tarif; Fachkräfte wandern ab.",
        16,
    ),
    Point(
        "Hin.Gehört. in Schweinfurt",
        "Dialoginsel 3",
        "zukunftskompetenzen-foerdern",
        "Berufsorientierung kommt zu spät: Praktika schon ab der siebten Klasse.",
        12,
    ),
    Point(
        "Hin.Gehört. in Schweinfurt",
        "Dialoginsel 4",
        "gute-arbeit-voranbringen",
        "Psychische Belastungen nehmen zu; der Arbeitsschutz soll sie ernst nehmen.",
        9,
    ),
)


@dataclass(frozen=True)
class Step:
    """One status change of a recommendation's history."""

    status: S
    note: str = ""  # public note (after publication)
    progress: int | None = None
    link: str = ""
    reason: str = ""  # internal reason (zurückgestellt)


REVIEW = (Step(S.IN_REVIEW),)
RATED = (*REVIEW, Step(S.RATED))
INCLUDED = (
    *RATED,
    Step(S.INCLUDED, reason="Im Ergebnisbericht als Handlungsempfehlung aufgenommen."),
)


@dataclass(frozen=True)
class DemoRecommendation:
    title: str
    theme: str  # theme field slug
    text: str
    addressee: str
    measure: str
    code: str  # label of a code of the generated codebook
    keywords: tuple[str, ...]  # published answers containing one of them are linked
    points: tuple[str, ...]  # beginnings of the documentation points cited
    steps: tuple[Step, ...]
    # (Wirksamkeit, Machbarkeit) by the raters in the order of RATERS; fewer: not all rated yet
    ratings: tuple[tuple[int, int], ...] = ()
    responsible: str = ANALYST
    presented: bool = False  # at the Abschlusskonferenz


RECOMMENDATIONS = (
    DemoRecommendation(
        "Anerkennung ausländischer Berufsabschlüsse beschleunigen",
        "arbeitspotenziale-erschliessen",
        "Anerkennungsverfahren werden vollständig digital beantragt und innerhalb von drei "
        "Monaten entschieden. Eine zentrale Stelle je Land koordiniert die zuständigen "
        "Kammern und Behörden.",
        "Länder",
        "Verwaltung vereinfachen",
        "Anerkennung ausländischer Abschlüsse",
        ("Anerkennung",),
        ("Anerkennungsverfahren",),
        (
            *INCLUDED,
            Step(S.PLANNED, "Bund und Länder haben einen gemeinsamen Zeitplan vereinbart."),
            Step(S.IN_PROGRESS, "Das digitale Antragsportal ist in fünf Ländern im Test.", 60),
            Step(
                S.IMPLEMENTED,
                "Das Antragsportal steht bundesweit zur Verfügung; die Frist von drei Monaten "
                "gilt seit dem Ersten des Monats.",
                100,
                "https://www.example.org/demo/anerkennungsportal",
            ),
        ),
        ((5, 3), (5, 4), (4, 3), (5, 2)),
        LEAD,
        presented=True,
    ),
    DemoRecommendation(
        "Ganztägige Kinderbetreuung verlässlich ausbauen",
        "arbeitspotenziale-erschliessen",
        "Kitas und Ganztagsschulen bieten verlässliche Betreuung bis 18 Uhr an. Der Bund "
        "beteiligt sich an den Kosten für zusätzliche Fachkräfte.",
        "Kommunen",
        "Förderprogramm",
        "Kinderbetreuung",
        ("Kita", "Ganztag"),
        ("Ohne Kitaplatz",),
        (
            *INCLUDED,
            Step(S.PLANNED, "Ein Förderprogramm für längere Öffnungszeiten wird vorbereitet."),
            Step(
                S.IN_PROGRESS,
                "Die ersten 300 Kommunen erhalten Fördermittel für Öffnungszeiten bis 18 Uhr.",
                40,
            ),
        ),
        ((5, 3), (4, 3), (5, 2), (4, 2)),
        presented=True,
    ),
    DemoRecommendation(
        "Berufsbezogene Sprachkurse im Betrieb fördern",
        "arbeitspotenziale-erschliessen",
        "Deutschkurse finden während der Arbeitszeit im Betrieb statt und werden von der "
        "Bundesagentur für Arbeit gefördert.",
        "Bundesagentur für Arbeit",
        "Förderprogramm",
        "Sprachförderung",
        ("Sprachkurs", "Deutschkurs"),
        (),
        RATED,
        ((4, 4), (4, 5), (3, 4), (4, 4)),
    ),
    DemoRecommendation(
        "Schulung vor jeder Einführung neuer Software",
        "transformation-sozial-gestalten",
        "Wer neue Software einführt, schult die Beschäftigten vorher in der Arbeitszeit und "
        "bezieht den Betriebsrat früh ein.",
        "Sozialpartner",
        "Tarif-/Betriebsebene",
        "Digitale Werkzeuge",
        ("Software", "Schulung"),
        ("Neue Software",),
        (
            *INCLUDED,
            Step(
                S.PLANNED,
                "Die Sozialpartner beraten eine Musterbetriebsvereinbarung; erste Gespräche "
                "haben stattgefunden.",
            ),
        ),
        ((4, 4), (3, 5), (4, 4), (3, 4)),
        LEAD,
    ),
    DemoRecommendation(
        "Tarifbindung in Pflege und Handwerk stärken",
        "transformation-sozial-gestalten",
        "Öffentliche Aufträge des Bundes gehen nur an Unternehmen, die nach Tarif bezahlen "
        "(Bundestariftreuegesetz).",
        "Bund",
        "Gesetz/Verordnung",
        "Bezahlung und Tarifbindung",
        ("Tarif",),
        ("In Pflege und Handwerk",),
        (
            *INCLUDED,
            Step(
                S.IN_PROGRESS,
                "Der Referentenentwurf eines Bundestariftreuegesetzes ist in der Abstimmung.",
                25,
                "https://www.example.org/demo/referentenentwurf-tariftreue",
            ),
        ),
        ((5, 2), (4, 3), (2, 2), (5, 3)),
        presented=True,
    ),
    DemoRecommendation(
        "Verlässliche Dienstpläne in systemrelevanten Berufen",
        "transformation-sozial-gestalten",
        "Dienstpläne stehen mindestens vier Wochen im Voraus fest; kurzfristiges Einspringen "
        "wird zusätzlich vergütet.",
        "Unternehmen",
        "Tarif-/Betriebsebene",
        "Dienstpläne und Arbeitszeiten",
        ("planbar", "Arbeitszeiten"),
        (),
        REVIEW,
        ((4, 3), (3, 3)),
    ),
    DemoRecommendation(
        "Bezahlte Bildungszeit für alle Beschäftigten",
        "zukunftskompetenzen-foerdern",
        "Beschäftigte erhalten einen Anspruch auf fünf bezahlte Bildungstage im Jahr; kleine "
        "Betriebe werden dafür entlastet.",
        "Bund",
        "Gesetz/Verordnung",
        "Weiterbildung während der Arbeitszeit",
        ("Bildungszeit", "Weiterbildung"),
        ("Weiterbildung scheitert",),
        (
            *INCLUDED,
            Step(S.PLANNED, "Das Ministerium lässt die Kosten für kleine Betriebe berechnen."),
        ),
        ((5, 3), (5, 2), (4, 3), (4, 3)),
        LEAD,
        presented=True,
    ),
    DemoRecommendation(
        "Berufsorientierung ab der siebten Klasse",
        "zukunftskompetenzen-foerdern",
        "Alle Schulen bieten ab der siebten Klasse Praktika und Besuche in Betrieben an, "
        "begleitet von der Berufsberatung.",
        "Länder",
        "Beratung/Information",
        "Berufsorientierung",
        ("Berufsorientierung", "Praktika"),
        ("Berufsorientierung kommt",),
        (
            *INCLUDED,
            Step(
                S.NOT_PURSUED,
                "Die Länder regeln die Berufsorientierung in eigener Zuständigkeit; mehrere "
                "Länder haben Praktika ab Klasse 7 schon eingeführt.",
            ),
        ),
        ((4, 3), (3, 2), (4, 2), (3, 3)),
    ),
    DemoRecommendation(
        "Berufsschulen digital ausstatten",
        "zukunftskompetenzen-foerdern",
        "Berufsschulen erhalten Geräte und eigene IT-Fachleute, finanziert aus einem "
        "gemeinsamen Programm von Bund und Ländern.",
        "Länder",
        "Förderprogramm",
        "Ausstattung der Berufsschulen",
        ("digitale Ausstattung", "Schul-IT"),
        (),
        (
            *RATED,
            Step(
                S.DEFERRED,
                reason="Zurückgestellt bis zur Auswertung des laufenden Digitalpakts; danach "
                "neu bewerten.",
            ),
        ),
        ((4, 2), (3, 2), (4, 1), (3, 2)),
        LEAD,
    ),
    DemoRecommendation(
        "Sachgrundlose Befristungen begrenzen",
        "gute-arbeit-voranbringen",
        "Befristungen ohne Sachgrund sind nur noch einmal und für höchstens zwölf Monate erlaubt.",
        "Bund",
        "Gesetz/Verordnung",
        "Befristete Verträge",
        ("Befristung",),
        ("Junge Beschäftigte",),
        INCLUDED,
        ((4, 3), (4, 4), (5, 3), (2, 3)),
        presented=True,
    ),
    DemoRecommendation(
        "Psychische Belastungen im Arbeitsschutz ernst nehmen",
        "gute-arbeit-voranbringen",
        "Gefährdungsbeurteilungen erfassen psychische Belastungen verbindlich; kleine "
        "Betriebe erhalten kostenlose Beratung.",
        "Sozialpartner",
        "Beratung/Information",
        "Gesundheitsschutz",
        ("psychische",),
        ("Psychische Belastungen",),
        REVIEW,
        ((4, 4),),
    ),
    DemoRecommendation(
        "Wohnheime und Ticket für Auszubildende",
        "gute-arbeit-voranbringen",
        "Kommunen bauen mit Bundesmitteln günstige Wohnheime für Auszubildende; ein "
        "bundesweites Azubiticket kommt hinzu.",
        "Kommunen",
        "Förderprogramm",
        "Wohnen und Mobilität",
        ("Azubi", "Zimmer"),
        (),
        (),
    ),
)


def seed_demo_content() -> dict[str, int]:
    """Create whatever part of the demo material is missing; returns how many of each kind.

    Needs the demo process (`seed()`); creates the demo accounts it needs.
    """
    process = db.session.scalar(sa.select(Process).where(Process.slug == PROCESS_SLUG))
    if process is None:
        raise ValueError(f"unknown process {PROCESS_SLUG!r}")
    created = {"demo users": len(seed_demo_users())}
    db.session.flush()
    created["answers"] = _answers(process)
    created["documentation entries"] = _documentation(process)
    made, ratings = _recommendations(process)
    created["recommendations"], created["ratings"] = made, ratings
    created["final conference"] = _final_conference(process)
    return created


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _answers(process: Process) -> int:
    """The generated answers and their coding, once per process (an audit entry says so)."""
    done = db.session.scalar(
        sa.select(AuditEntry.id).where(
            AuditEntry.action == MARKER,
            AuditEntry.object_type == "Process",
            AuditEntry.object_id == str(process.id),
        )
    )
    if done is not None:
        return 0
    made = generate_answers(CODED_ANSWERS, process.slug, seed=ANSWER_SEED, days=45)
    generate_codings(process.slug, seed=ANSWER_SEED, samples=SAMPLES)
    # Received in the last days and not coded yet: work left for the demo analyst.
    made += generate_answers(UNCODED_ANSWERS, process.slug, seed=ANSWER_SEED + 1, days=5)
    audit.record(None, MARKER, process, {"count": [None, made]})
    db.session.flush()
    return made


def _documentation(process: Process) -> int:
    """The points raised at the demo citizen dialogues that are over and not yet documented."""
    themes = {t.slug: t.id for t in process.theme_fields}
    events = {
        e.title: e
        for e in db.session.scalars(
            sa.select(Event).where(Event.process_id == process.id, Event.ends_at < now_utc())
        )
    }
    documented = set(
        db.session.scalars(
            sa.select(EventDocumentationEntry.event_id).where(
                EventDocumentationEntry.event_id.in_([e.id for e in events.values()])
            )
        )
    )
    analyst = _user(ANALYST)
    created = 0
    for point in POINTS:
        event = events.get(point.event)
        if event is None or event.id in documented:
            continue
        data = recs.EntryInput(
            text=point.text,
            session_label=point.session,
            theme_field_id=themes.get(point.theme),
            agreement_count=point.dots,
        )
        recs.create_entry(analyst, event, data)
        created += 1
    return created


def _recommendations(process: Process) -> tuple[int, int]:
    """The demo recommendations, while the process has none (so that whatever staff renamed,
    edited or deleted stays so); returns (made, ratings given)."""
    if db.session.scalar(
        sa.select(Recommendation.id).where(Recommendation.process_id == process.id)
    ):
        return 0, 0
    themes = {t.slug: t.id for t in process.theme_fields}
    raters = [_user(email) for email in RATERS]
    made = ratings = 0
    for number, demo in enumerate(RECOMMENDATIONS):
        if demo.theme not in themes:
            continue
        responsible = _user(demo.responsible)
        data = recs.RecommendationInput(
            title=demo.title,
            text=demo.text,
            theme_field_ids=[themes[demo.theme]],
            addressee=demo.addressee,
            measure=demo.measure,
            responsible_id=responsible.id,
        )
        rec = recs.create_recommendation(responsible, process, data)
        _link_evidence(responsible, rec, demo, themes[demo.theme])
        for step in demo.steps:
            recs.change_status(
                responsible,
                rec,
                step.status,
                reason=step.reason,
                public_note=step.note,
                progress=step.progress,
                link=step.link,
            )
            if step.status == S.IN_REVIEW:
                for rater, (effectiveness, feasibility) in zip(raters, demo.ratings, strict=False):
                    recs.rate(
                        rater,
                        rec,
                        effectiveness=effectiveness,
                        feasibility=feasibility,
                        reason=_rating_reason(effectiveness, feasibility),
                    )
                    ratings += 1
        _date_history(rec, number)
        made += 1
    return made, ratings


def _rating_reason(effectiveness: int, feasibility: int) -> str:
    if effectiveness >= 4 and feasibility >= 4:
        return "Wirkt schnell und lässt sich mit vorhandenen Strukturen umsetzen."
    if effectiveness >= 4:
        return "Wirksam, aber teuer oder nur mit den Ländern gemeinsam umsetzbar."
    return "Hilft einzelnen Gruppen; der Aufwand ist im Verhältnis hoch."


def _link_evidence(actor, rec: Recommendation, demo: DemoRecommendation, theme_id: int) -> None:
    """The code, a few published answers that say the same, and the documentation points."""
    code_id = db.session.scalar(
        sa.select(Code.id).where(Code.process_id == rec.process_id, Code.label == demo.code)
    )
    if code_id is not None:
        recs.add_code(actor, rec, code_id)
    if demo.keywords:
        matches = sa.or_(*(Answer.text.ilike(f"%{word}%") for word in demo.keywords))
        answer_ids = db.session.scalars(
            sa.select(Answer.id)
            .join(Submission, Submission.id == Answer.submission_id)
            .where(
                Answer.theme_field_id == theme_id,
                Answer.status == AnswerStatus.PUBLISHED,
                Submission.publication_consent.is_(True),
                matches,
            )
            .order_by(Answer.id)
            .limit(EVIDENCE_ANSWERS)
        ).all()
        for answer_id in answer_ids:
            recs.add_answer(actor, rec, answer_id)
    for beginning in demo.points:
        entry_ids = db.session.scalars(
            sa.select(EventDocumentationEntry.id)
            .join(Event, Event.id == EventDocumentationEntry.event_id)
            .where(
                Event.process_id == rec.process_id,
                EventDocumentationEntry.text.startswith(beginning, autoescape=True),
            )
        ).all()
        for entry_id in entry_ids:
            recs.add_documentation(actor, rec, entry_id)


def _date_history(rec: Recommendation, number: int) -> None:
    """Spread the status history over the past weeks, a few days a step, so that the dated
    notes read like a real history (the services date every change now)."""
    changes = db.session.scalars(
        sa.select(RecommendationStatusChange)
        .where(RecommendationStatusChange.recommendation_id == rec.id)
        .order_by(RecommendationStatusChange.id)
    ).all()
    now = now_utc()
    for position, change in enumerate(changes):
        change.at = now - timedelta(days=4 * (len(changes) - position), hours=number)
    db.session.flush()


def _final_conference(process: Process) -> int:
    """Mark the demo Abschlusskonferenz with the recommendations it presents, unless the
    process already has a final conference; returns 1 when marked."""
    events = db.session.scalars(sa.select(Event).where(Event.process_id == process.id)).all()
    if any(e.is_final_conference for e in events):
        return 0
    conference = next((e for e in events if e.title == FINAL_CONFERENCE), None)
    if conference is None:
        return 0
    titles = [r.title for r in RECOMMENDATIONS if r.presented]
    by_title = dict(
        db.session.execute(
            sa.select(Recommendation.title, Recommendation.id).where(
                Recommendation.process_id == process.id, Recommendation.title.in_(titles)
            )
        ).all()
    )
    ids = [by_title[t] for t in titles if t in by_title]
    if not ids:
        return 0
    recs.set_final_conference(_user(ADMIN), conference, True, ids)
    return 1
