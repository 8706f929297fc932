"""The results report: draft jobs (permissions, the background worker, safe claiming, the
download), publishing in the results phase (type and size checked by content), the public
results page with live figures, the file responses, and the notices elsewhere."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dialog.answers.models import Answer, Submission
from dialog.answers.rules import AnswerStatus, Channel
from dialog.common.audit import AuditEntry
from dialog.common.clock import BERLIN
from dialog.common.permissions import Role
from dialog.events.models import Application, Event, Registration
from dialog.events.rules import ApplicationStatus, CompanySize, EventStatus, RegistrationStatus
from dialog.extensions import db
from dialog.process.models import Phase, Process
from dialog.process.rules import PhaseKind
from dialog.reports import services, worker
from dialog.reports.models import PublishedFile, ReportJob
from dialog.reports.rules import STALE_AFTER, FileKind, JobStatus
from tests.conftest import csrf_token, post_form

PDF_BYTES = b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 60 + b"%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
HTML_BYTES = b'<!DOCTYPE html>\n<html lang="de"><script>alert(1)</script><p>Bericht</p></html>'


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Ergebnisbericht")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def process(seeded) -> Process:
    return db.session.scalar(sa.select(Process).where(Process.slug == "mission-fachkraft"))


def results_start(process: Process):
    return next(p.starts_on for p in process.phases if p.kind == PhaseKind.RESULTS)


@pytest.fixture
def in_results_phase(process, frozen_clock):
    """The clock on the second day of the results phase, at noon in Berlin."""
    day = results_start(process) + timedelta(days=1)
    frozen_clock(datetime.combine(day, time(12), tzinfo=BERLIN))
    return day


@pytest.fixture
def admin(make_user, login):
    user = make_user(Role.ADMIN)
    login(user)
    return user


def publish_url(process: Process, what: str = "bericht") -> str:
    return f"/staff/berichte/{process.id}/{what}"


def upload(client, process, data: bytes, filename: str, what="bericht", title="Ergebnisbericht"):
    prefix = "report" if what == "bericht" else "download"
    token = csrf_token(client, "/staff/berichte")
    # Encoded in memory: the test client would spool large bodies to a file it never closes.
    boundary, body = encode_multipart(
        MultiDict(
            {
                f"{prefix}-csrf_token": token,
                f"{prefix}-title": title,
                f"{prefix}-description": "Kurz gesagt: viel gelernt.",
                f"{prefix}-upload": FileStorage(io.BytesIO(data), filename),
            }
        )
    )
    return client.post(
        publish_url(process, what),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def files(kind: FileKind | None = None) -> list[PublishedFile]:
    db.session.expire_all()
    stmt = sa.select(PublishedFile).order_by(PublishedFile.position, PublishedFile.id)
    if kind is not None:
        stmt = stmt.where(PublishedFile.kind == kind)
    return list(db.session.scalars(stmt))


def jobs() -> list[ReportJob]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ReportJob).order_by(ReportJob.id)))


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


# -- permissions ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, process):
    for url in ("/staff/berichte", f"/staff/berichte/{process.id}/veroeffentlichung"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/anmelden" in response.headers["Location"]


def test_moderators_may_neither_draft_nor_publish(client, process, make_user, login):
    login(make_user(Role.MODERATOR))
    assert client.get("/staff/berichte").status_code == 403
    token = csrf_token(client, "/staff/moderation")
    response = client.post(
        "/staff/berichte/entwurf", data={"csrf_token": token, "process_id": process.id}
    )
    assert response.status_code == 403
    assert jobs() == []
    assert client.get(f"/staff/berichte/{process.id}/veroeffentlichung").status_code == 403


def test_analysts_draft_but_do_not_publish(client, process, make_user, login):
    login(make_user(Role.ANALYST))
    page = client.get("/staff/berichte")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bericht-Entwurf erzeugen" in html
    assert "Veröffentlichung verwalten" not in html
    assert client.get(f"/staff/berichte/{process.id}/veroeffentlichung").status_code == 403
    response = upload(client, process, PDF_BYTES, "bericht.pdf")
    assert response.status_code in (400, 403)
    assert files() == []


# -- draft jobs ----------------------------------------------------------------------------


def test_requesting_a_draft_queues_one_job_and_logs_it(client, process, make_user, login):
    analyst = make_user(Role.ANALYST)
    login(analyst)
    response = post_form(
        client, "/staff/berichte/entwurf", {"process_id": process.id}, form_url="/staff/berichte"
    )
    assert response.status_code == 302
    [job] = jobs()
    assert (job.status, job.process_id, job.requested_by_id) == (
        JobStatus.QUEUED,
        process.id,
        analyst.id,
    )
    assert "report_job.create" in audit_actions()
    page = client.get("/staff/berichte").get_data(as_text=True)
    assert "im Hintergrund erzeugt" in page
    assert "Wartet auf den Hintergrunddienst" in page
    assert 'http-equiv="refresh"' not in page
    assert ">Aktualisieren</a>" in page

    # A second request while one is open reuses it.
    post_form(client, "/staff/berichte/entwurf", {"process_id": process.id}, "/staff/berichte")
    assert len(jobs()) == 1
    assert "bereits ein Entwurf" in client.get("/staff/berichte").get_data(as_text=True)


def test_an_unknown_process_is_refused_with_a_message(client, process, make_user, login):
    login(make_user(Role.ANALYST))
    response = post_form(
        client, "/staff/berichte/entwurf", {"process_id": "999999"}, form_url="/staff/berichte"
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie einen Prozess" in response.get_data(as_text=True)
    response = post_form(
        client, "/staff/berichte/entwurf", {"process_id": "abc"}, form_url="/staff/berichte"
    )
    assert response.status_code == 200
    assert jobs() == []


def fake_analysis(export: Path, out: Path) -> None:
    """Stands in for `python -m analysis`: checks the export and writes a small report."""
    with zipfile.ZipFile(export) as archive:
        assert "manifest.json" in archive.namelist()
    (out / "grafiken").mkdir(parents=True)
    (out / "bericht.md").write_text("# Ergebnisbericht (Entwurf)\n")
    (out / "bericht.html").write_text("<!DOCTYPE html><html lang='de'></html>")
    (out / "grafiken" / "a.png").write_bytes(PNG_BYTES)


def test_the_worker_drafts_the_report_and_staff_download_it(
    client, process, make_user, login, monkeypatch
):
    analyst = make_user(Role.ANALYST)
    login(analyst)
    services.request_draft(analyst, process)
    db.session.commit()
    monkeypatch.setattr(worker, "run_analysis", fake_analysis)

    assert worker.run_pending() == 1
    [job] = jobs()
    assert job.status == JobStatus.DONE
    assert job.attempts == 1
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert len(job.export_sha256) == 64
    assert job.result_size == len(job.result)
    assert "dataset.export" in audit_actions()  # the export made for the draft is logged
    assert worker.run_pending() == 0  # nothing left

    page = client.get("/staff/berichte").get_data(as_text=True)
    assert "Fertig" in page and "Entwurf herunterladen" in page
    response = client.get(f"/staff/berichte/entwuerfe/{job.id}/bericht-entwurf.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    day = job.finished_at.astimezone(BERLIN).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=bericht-entwurf-{day}.zip"
    )
    assert response.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["bericht.html", "bericht.md", "grafiken/a.png"]


def test_a_failed_draft_shows_a_german_error(client, process, make_user, login, monkeypatch):
    analyst = make_user(Role.ANALYST)
    login(analyst)
    services.request_draft(analyst, process)
    db.session.commit()

    def broken(export, out):
        raise worker.DraftError("Die Auswertung ist fehlgeschlagen: Fehler: Export unlesbar")

    monkeypatch.setattr(worker, "run_analysis", broken)
    worker.run_pending()
    [job] = jobs()
    assert job.status == JobStatus.FAILED
    assert job.result is None
    assert "dataset.export" not in audit_actions()  # rolled back with the failed draft
    page = client.get("/staff/berichte").get_data(as_text=True)
    assert "Fehlgeschlagen" in page
    assert "Die Auswertung ist fehlgeschlagen: Fehler: Export unlesbar" in page
    assert client.get(f"/staff/berichte/entwuerfe/{job.id}/bericht-entwurf.zip").status_code == 404


def test_an_unexpected_error_fails_the_job_without_details(process, make_user, monkeypatch):
    services.request_draft(make_user(Role.ANALYST), process)
    db.session.commit()

    def crash(export, out):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(worker, "run_analysis", crash)
    worker.run_pending()
    [job] = jobs()
    assert job.status == JobStatus.FAILED
    assert "Unerwarteter Fehler" in job.error and "secret" not in job.error


def test_the_analysis_subprocess_failure_becomes_the_error(tmp_path):
    export = tmp_path / "kaputt.zip"
    export.write_bytes(b"kein zip")
    with pytest.raises(worker.DraftError, match="Die Auswertung ist fehlgeschlagen: Fehler:"):
        worker.run_analysis(export, tmp_path / "out")


def test_only_one_worker_claims_a_job(app, process, make_user):
    services.request_draft(make_user(Role.ANALYST), process)
    db.session.commit()
    now = datetime.now(UTC)
    barrier = threading.Barrier(4)
    claimed: list[int | None] = []
    errors: list[BaseException] = []

    def claim() -> None:
        try:
            with app.app_context():
                barrier.wait()
                job_id = services.claim_next_job(now)
                db.session.commit()
                claimed.append(job_id)
                db.session.remove()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(claimed, key=lambda c: c is not None) == [None, None, None, jobs()[0].id]
    assert jobs()[0].attempts == 1


def test_a_job_stuck_running_is_taken_again_then_given_up(process, make_user, frozen_clock):
    start = datetime(2030, 1, 1, 9, tzinfo=UTC)
    frozen_clock(start)
    job, _created = services.request_draft(make_user(Role.ANALYST), process)
    db.session.commit()
    assert services.claim_next_job(start) == job.id
    db.session.commit()
    assert services.claim_next_job(start + STALE_AFTER - timedelta(minutes=1)) is None
    for attempt in (2, 3):
        later = start + (attempt - 1) * (STALE_AFTER + timedelta(minutes=1))
        assert services.claim_next_job(later) == job.id, attempt
        db.session.commit()
    assert jobs()[0].attempts == 3
    # An outcome of the first, overtaken run is not stored over the newer one.
    assert not services.finish_job(job.id, start, error="alt")
    much_later = start + 4 * STALE_AFTER
    assert services.give_up_stale_jobs(much_later) == 1
    db.session.commit()
    [job] = jobs()
    assert job.status == JobStatus.FAILED and "mehrfach begonnen" in job.error
    assert services.claim_next_job(much_later) is None


def test_the_worker_command_runs_once_and_reports(runner, process, make_user, monkeypatch):
    services.request_draft(make_user(Role.ANALYST), process)
    db.session.commit()
    monkeypatch.setattr(worker, "run_analysis", fake_analysis)
    result = runner.invoke(args=["run-reports"])
    assert result.exit_code == 0, result.output
    assert "Report drafts: 1 made." in result.output
    assert jobs()[0].status == JobStatus.DONE


def test_the_real_analysis_drafts_a_report_from_the_export(process, make_user):
    """End to end with the real subprocess: the export file is the only contract."""
    theme = process.theme_fields[0]
    for n in range(12):
        submission = Submission(
            theme_field_id=theme.id,
            channel=Channel.ONLINE,
            received_on=results_start(process) - timedelta(days=90 - n),
            publication_consent=True,
        )
        db.session.add(
            Answer(
                submission=submission,
                question_id=theme.questions[0].id,
                theme_field_id=theme.id,
                text=f"Mehr Kinderbetreuung am Nachmittag, Vorschlag Nummer {n}.",
                status=AnswerStatus.PUBLISHED,
            )
        )
    services.request_draft(make_user(Role.ANALYST), process)
    db.session.commit()
    assert worker.run_pending() == 1
    [job] = jobs()
    assert job.status == JobStatus.DONE, job.error
    with zipfile.ZipFile(io.BytesIO(job.result)) as archive:
        names = set(archive.namelist())
        assert {"bericht.md", "bericht.html", "bericht.docx"} <= names
        assert "Ergebnisbericht" in archive.read("bericht.md").decode()


# -- publishing ----------------------------------------------------------------------------


def test_publishing_waits_for_the_results_phase(client, process, admin):
    page = client.get(f"/staff/berichte/{process.id}/veroeffentlichung").get_data(as_text=True)
    assert "erst ab dem ersten Tag der Ergebnisphase" in page
    assert "Bericht veröffentlichen</button>" not in page
    response = upload(client, process, PDF_BYTES, "bericht.pdf")
    assert response.status_code == 302
    assert files() == []
    assert "erst ab dem ersten Tag" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_without_a_results_phase_nothing_is_published(client, process, admin):
    db.session.execute(
        sa.delete(Phase).where(Phase.process_id == process.id, Phase.kind == PhaseKind.RESULTS)
    )
    db.session.commit()
    upload(client, process, PDF_BYTES, "bericht.pdf")
    assert files() == []
    page = client.get(f"/staff/berichte/{process.id}/veroeffentlichung").get_data(as_text=True)
    assert "noch keine Phase „Veröffentlichung der Ergebnisse“" in page


def test_admins_publish_and_replace_the_report(client, process, in_results_phase, admin):
    response = upload(client, process, PDF_BYTES, "Ergebnisbericht final.PDF")
    assert response.status_code == 302
    [report] = files()
    assert (report.kind, report.content_type, report.size) == (
        FileKind.REPORT,
        "application/pdf",
        len(PDF_BYTES),
    )
    assert report.filename == "ergebnisbericht.pdf"  # from the title, not the upload's name
    assert report.published_by_id == admin.id
    assert report.published_at.astimezone(BERLIN).date() == in_results_phase
    assert "published_file.create" in audit_actions()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Der Ergebnisbericht ist veröffentlicht." in page

    upload(client, process, docx_bytes(), "bericht.docx", title="Ergebnisbericht (korrigiert)")
    [report] = files()
    assert report.filename == "ergebnisbericht-korrigiert.docx"
    assert report.content_type.endswith("wordprocessingml.document")
    assert audit_actions().count("published_file.delete") == 1
    log = client.get("/staff/protokoll").get_data(as_text=True)
    assert "Veröffentlichte Datei angelegt" in log
    assert "Veröffentlichte Datei gelöscht" in log


def test_the_report_type_is_judged_by_content(client, process, in_results_phase, admin):
    for data, name in (
        (b"MZ\x90\x00 not a pdf at all", "bericht.pdf"),
        (PNG_BYTES, "bericht.pdf"),  # an image is no report
        (b"PK\x03\x04 broken zip", "bericht.docx"),
    ):
        response = upload(client, process, data, name)
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert "Dieser Dateityp ist hier nicht erlaubt oder die Datei ist beschädigt." in html
        assert 'aria-invalid="true"' in html
    response = upload(client, process, b"", "leer.pdf")
    assert "Die Datei ist leer." in response.get_data(as_text=True)
    response = upload(client, process, HTML_BYTES, "bericht.txt")
    assert response.status_code == 302
    assert files()[0].content_type == "text/html; charset=utf-8"


def test_a_missing_file_or_title_is_explained(client, process, in_results_phase, admin):
    token = csrf_token(client, f"/staff/berichte/{process.id}/veroeffentlichung")
    response = client.post(
        publish_url(process),
        data={"report-csrf_token": token, "report-title": ""},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte geben Sie einen Titel ein." in html
    assert "Bitte wählen Sie eine Datei aus." in html
    assert files() == []


def test_too_large_files_are_refused_with_the_limit(app, client, process, in_results_phase, admin):
    app.config["RESULTS_MAX_UPLOAD_BYTES"] = 2000
    response = upload(client, process, b"%PDF-1.4\n" + b"x" * 2100, "gross.pdf")
    assert response.status_code == 200
    assert "Die Datei ist zu groß. Erlaubt sind höchstens 2 KB." in response.get_data(as_text=True)
    # Far beyond the limit, the body is not even read.
    response = upload(client, process, b"%PDF-1.4\n" + b"x" * 200_000, "riesig.pdf")
    assert response.status_code == 413
    assert "Die Datei ist zu groß." in response.get_data(as_text=True)
    assert files() == []


def test_uploads_above_the_global_request_limit_are_accepted(
    app, client, process, in_results_phase, admin
):
    big = b"%PDF-1.7\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 100_000)
    response = upload(client, process, big, "gross.pdf")
    assert response.status_code == 302
    assert files()[0].size == len(big)


def test_uploads_need_the_csrf_token(client, process, in_results_phase, admin):
    response = client.post(
        publish_url(process),
        data={"report-title": "X", "report-upload": (io.BytesIO(PDF_BYTES), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in response.get_data(as_text=True)
    assert files() == []


def test_downloads_are_added_ordered_and_removed(client, process, in_results_phase, admin):
    for title, data in (
        ("Infografik", PNG_BYTES),
        ("Kurzfassung", PDF_BYTES),
        ("Tabellen", docx_bytes()),
    ):
        assert upload(client, process, data, "x", what="downloads", title=title).status_code == 302
    assert [f.title for f in files()] == ["Infografik", "Kurzfassung", "Tabellen"]
    publish_page = f"/staff/berichte/{process.id}/veroeffentlichung"
    third = files()[2]
    post_form(
        client,
        f"/staff/berichte/{process.id}/dateien/{third.id}/verschieben",
        {"richtung": "hoch"},
        form_url=publish_page,
    )
    assert [f.title for f in files()] == ["Infografik", "Tabellen", "Kurzfassung"]
    first = files()[0]
    post_form(
        client,
        f"/staff/berichte/{process.id}/dateien/{first.id}/verschieben",
        {"richtung": "runter"},
        form_url=publish_page,
    )
    assert [f.title for f in files()] == ["Tabellen", "Infografik", "Kurzfassung"]
    # Moving the last one down changes nothing.
    last = files()[2]
    post_form(
        client,
        f"/staff/berichte/{process.id}/dateien/{last.id}/verschieben",
        {"richtung": "runter"},
        form_url=publish_page,
    )
    assert [f.title for f in files()] == ["Tabellen", "Infografik", "Kurzfassung"]
    public = client.get("/dialog/mission-fachkraft/ergebnisse").get_data(as_text=True)
    assert public.index("Tabellen") < public.index("Infografik") < public.index("Kurzfassung")

    response = post_form(
        client, f"/staff/berichte/{process.id}/dateien/{first.id}/entfernen", {}, publish_page
    )
    assert response.status_code == 302
    assert [f.title for f in files()] == ["Tabellen", "Kurzfassung"]
    assert "published_file.delete" in audit_actions()
    assert "published_file.update" in audit_actions()
    # Without the token nothing happens.
    client.post(f"/staff/berichte/{process.id}/dateien/{files()[0].id}/entfernen")
    assert len(files()) == 2


def test_a_file_of_another_process_is_not_found(client, process, in_results_phase, admin):
    upload(client, process, PNG_BYTES, "x", what="downloads", title="Infografik")
    other = Process(slug="anders", title="Anders", central_question="?", published=True)
    db.session.add(other)
    db.session.commit()
    file_id = files()[0].id
    token = csrf_token(client, f"/staff/berichte/{process.id}/veroeffentlichung")
    response = client.post(
        f"/staff/berichte/{other.id}/dateien/{file_id}/entfernen", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert (
        client.get(f"/dialog/anders/ergebnisse/dateien/{file_id}/infografik.png").status_code == 404
    )


# -- the public page -----------------------------------------------------------------------


def test_before_publication_the_page_says_when_results_are_expected(client, process):
    response = client.get("/dialog/mission-fachkraft/ergebnisse")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Die Ergebnisse sind noch nicht veröffentlicht" in html
    start = results_start(process)
    assert f"ab dem {start.day}. " in html and str(start.year) in html
    assert "Der Dialog in Zahlen" not in html
    overview = client.get("/dialog/mission-fachkraft").get_data(as_text=True)
    assert "/dialog/mission-fachkraft/ergebnisse" not in overview
    assert "Folgt nach der Dialogphase." in overview


def add_figures_data(process: Process) -> None:
    """3 counted answers in 2 submissions (+ pending, rejected), 2 held events, 4 people."""
    theme = process.theme_fields[0]
    questions = theme.questions

    def submission(*statuses: AnswerStatus) -> None:
        sub = Submission(
            theme_field_id=theme.id,
            channel=Channel.ONLINE,
            received_on=date(2026, 3, 1),
            publication_consent=True,
        )
        for question, status in zip(questions, statuses, strict=False):
            db.session.add(
                Answer(
                    submission=sub,
                    question_id=question.id,
                    theme_field_id=theme.id,
                    text="Text",
                    status=status,
                )
            )

    submission(AnswerStatus.PUBLISHED, AnswerStatus.INTERNAL)
    submission(AnswerStatus.HIDDEN, AnswerStatus.REJECTED)
    submission(AnswerStatus.PENDING)
    submission(AnswerStatus.REJECTED)
    events = db.session.scalars(sa.select(Event).where(Event.process_id == process.id)).all()
    past = datetime.now(UTC) - timedelta(days=3)
    for event in events:
        event.starts_at, event.ends_at = (
            past + timedelta(days=30),
            past + timedelta(days=30, hours=2),
        )
        event.status = EventStatus.PUBLISHED
    held, held_too, cancelled = events[0], events[1], events[2]
    held.starts_at, held.ends_at = past, past + timedelta(hours=2)
    held_too.starts_at, held_too.ends_at = past, past + timedelta(hours=2)
    cancelled.starts_at, cancelled.ends_at = past, past + timedelta(hours=2)
    cancelled.status = EventStatus.CANCELLED
    for event, status in (
        (held, RegistrationStatus.CONFIRMED),
        (held, RegistrationStatus.CONFIRMED),
        (held, RegistrationStatus.WAITLISTED),
        (held_too, RegistrationStatus.CONFIRMED),
        (held_too, RegistrationStatus.CANCELLED),
        (cancelled, RegistrationStatus.CONFIRMED),
        (events[3], RegistrationStatus.CONFIRMED),  # not yet begun
    ):
        db.session.add(Registration(event=event, status=status, link_salt="s" * 16))
    db.session.add_all(
        Application(
            event_id=held_too.id,
            status=status,
            company="Betrieb",
            sector="Pflege",
            size=CompanySize.SMALL,
            bundesland=held_too.bundesland,
            motivation="Mitmachen",
        )
        for status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)
    )
    db.session.commit()


def test_after_publication_the_page_offers_report_figures_and_downloads(
    app, client, process, in_results_phase, admin
):
    add_figures_data(process)
    upload(client, process, PDF_BYTES, "bericht.pdf")
    upload(client, process, PNG_BYTES, "x", what="downloads", title="Infografik")
    client = app.test_client()  # an anonymous visitor
    figures = services.headline_figures(process.id)
    assert (
        figures.answers,
        figures.published_answers,
        figures.submissions,
        figures.theme_fields,
        figures.events,
        figures.participants,
    ) == (3, 1, 2, len(process.theme_fields), 2, 4)

    html = client.get("/dialog/mission-fachkraft/ergebnisse").get_data(as_text=True)
    assert "noch nicht veröffentlicht" not in html
    report = files(FileKind.REPORT)[0]
    assert (
        f'href="/dialog/mission-fachkraft/ergebnisse/dateien/{report.id}/ergebnisbericht.pdf"'
        in html
    )
    assert "(PDF, 1,3 KB)" in html or "(PDF, 1 KB)" in html
    assert "Der Dialog in Zahlen" in html
    assert "<dt>Antworten</dt><dd>3</dd>" in html
    assert "<dt>Einsendungen</dt><dd>2</dd>" in html
    assert "<dt>Veranstaltungen</dt><dd>2</dd>" in html
    assert "<dt>Teilnehmende an Veranstaltungen</dt><dd>4</dd>" in html
    assert "Infografik" in html and "PNG-Bild" in html

    overview = client.get("/dialog/mission-fachkraft").get_data(as_text=True)
    assert 'href="/dialog/mission-fachkraft/ergebnisse"' in overview
    assert "Der Ergebnisbericht ist veröffentlicht." in overview


def test_size_is_written_the_german_way(client, process, in_results_phase, admin):
    data = b"%PDF-1.7\n" + b"0" * 1_234_000
    upload(client, process, data, "bericht.pdf")
    html = client.get("/dialog/mission-fachkraft/ergebnisse").get_data(as_text=True)
    assert "(PDF, 1,2 MB)" in html


def test_published_files_are_served_safely(app, client, process, in_results_phase, admin):
    upload(client, process, HTML_BYTES, "bericht.html")
    upload(client, process, PNG_BYTES, "x", what="downloads", title="Infografik")
    report, image = files(FileKind.REPORT)[0], files(FileKind.DOWNLOAD)[0]
    client = app.test_client()  # an anonymous visitor
    base = "/dialog/mission-fachkraft/ergebnisse/dateien"

    response = client.get(f"{base}/{report.id}/{report.filename}")
    assert response.status_code == 200
    assert response.data == HTML_BYTES
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=ergebnisbericht.html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=3600" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    assert report.sha256 in etag
    again = client.get(f"{base}/{report.id}/{report.filename}", headers={"If-None-Match": etag})
    assert again.status_code == 304

    response = client.get(f"{base}/{image.id}/{image.filename}")
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")

    wrong_name = client.get(f"{base}/{image.id}/anders.png")
    assert wrong_name.status_code == 301
    assert wrong_name.headers["Location"].endswith(f"/{image.id}/{image.filename}")
    assert client.get(f"{base}/999999/x.pdf").status_code == 404


def test_unpublished_processes_have_no_public_results(
    app, client, process, in_results_phase, admin
):
    upload(client, process, PDF_BYTES, "bericht.pdf")
    report = files()[0]
    process.published = False
    db.session.commit()
    assert client.get("/dialog/mission-fachkraft/ergebnisse").status_code == 200  # staff preview
    client = app.test_client()  # an anonymous visitor
    assert client.get("/dialog/mission-fachkraft/ergebnisse").status_code == 404
    url = f"/dialog/mission-fachkraft/ergebnisse/dateien/{report.id}/{report.filename}"
    assert client.get(url).status_code == 404
    assert client.get("/dialog/gibt-es-nicht/ergebnisse").status_code == 404


def test_the_private_link_tells_that_results_are_out(app, client, process, in_results_phase, admin):
    from dialog.answers import services as answer_services

    theme = process.theme_fields[0]
    token = "privater-link-token-1234567890"
    submission = Submission(
        theme_field_id=theme.id,
        channel=Channel.ONLINE,
        received_on=date(2026, 3, 1),
        publication_consent=True,
        token_hash=answer_services.token_hash(token),
    )
    db.session.add(
        Answer(
            submission=submission,
            question_id=theme.questions[0].id,
            theme_field_id=theme.id,
            text="Meine Antwort",
            status=AnswerStatus.PUBLISHED,
        )
    )
    db.session.commit()
    visitor = app.test_client()
    page = visitor.get(f"/beitrag/{token}").get_data(as_text=True)
    assert "Meine Antwort" in page
    assert "Ergebnisse des Dialogs sind veröffentlicht" not in page
    upload(client, process, PDF_BYTES, "bericht.pdf")
    page = visitor.get(f"/beitrag/{token}").get_data(as_text=True)
    assert "Die Ergebnisse des Dialogs sind veröffentlicht." in page
    assert 'href="/dialog/mission-fachkraft/ergebnisse"' in page
