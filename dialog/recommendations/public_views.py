"""Public results, "wir haben gehandelt": the published recommendations with status, latest
note, support and quotes; as open data (CSV, JSON) and as an Atom feed of status changes.

A deleted answer or a new status must show at the next request: the page is kept in the
page cache only until the kept figures of the process change (figures.version, one row read
per request). The figures refreshed on reading are committed once per request, after
rendering: a commit expires the loaded rows, which the page would otherwise load again one by
one.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dialog.common import pagecache
from dialog.common.clock import now_utc
from dialog.common.sanitize import plain_text
from dialog.extensions import db
from dialog.process import services as process_services
from dialog.process.models import Process
from dialog.recommendations import figures, labels, public
from dialog.recommendations.forms import PublicResultsFilterForm
from dialog.reports import rules as report_rules

CSV_COLUMNS = (
    "id",
    "titel",
    "themenfelder",
    "adressat",
    "art_der_massnahme",
    "status",
    "status_bezeichnung",
    "letzte_meldung_am",
    "letzte_meldung",
    "fortschritt_prozent",
    "link",
    "beitraege",
    "stimmen",
    "perspektiven",
    "beitraege_in_kampagnen",
    "veroeffentlichte_beitraege",
    "dokumentationseintraege",
    "zustimmungen",
    "beitraege_url",
)


def _process_or_404(slug: str) -> Process:
    return process_services.public_process(slug, current_user.is_authenticated) or abort(404)


def _filter_form(process: Process, theme_slug: str | None = None) -> PublicResultsFilterForm:
    args = request.args.copy()
    if theme_slug is not None:
        theme = public.theme_field_of(process, theme_slug) or abort(404)
        args["thema"] = theme.slug
    return PublicResultsFilterForm(args, process=process, addressees=public.addressees(process.id))


def _version(slug: str, theme_slug: str | None = None) -> int:
    return figures.version(slug)


@pagecache.cached_until_changed(_version)
def recommendation_results(slug: str, theme_slug: str | None = None):
    process = _process_or_404(slug)
    form = _filter_form(process, theme_slug)
    filters = form.filters()
    shown = public.results_shown(process)
    total = public.count_published(process.id, filters) if shown else 0
    # A page number out of range (or not a number) shows the nearest page.
    page = min(max(request.args.get("seite", 1, type=int), 1), public.pages(total))
    items = public.results(process.id, filters, page=page) if shown else []
    theme = next((t for t in process.theme_fields if t.id == filters.theme_field_id), None)
    html = render_template(
        "recommendations/public_results.html",
        process=process,
        form=form,
        theme=theme,
        items=items,
        total=total,
        page=page,
        pages=public.pages(total),
        first_number=(page - 1) * public.RESULTS_PER_PAGE + 1,
        page_url=_page_url(slug, theme_slug, form),
        shown=shown,
        results_phase=report_rules.results_phase([p.span for p in process.phases]),
        download_args=form.query_args(),
        status_labels=labels.STATUS,
        licence=public,
    )
    db.session.commit()  # the figures recomputed on reading
    return html


def _page_url(slug: str, theme_slug: str | None, form: PublicResultsFilterForm):
    """The address of page n with the same filters (a theme field's page keeps its path)."""
    args = form.query_args()
    if theme_slug is not None:
        args.pop("thema", None)
        args["theme_slug"] = theme_slug
    return lambda n: url_for(request.endpoint, slug=slug, seite=n, **args)


def _not_yet() -> Response:
    message = _(
        "Die Handlungsempfehlungen werden ab der Phase „Veröffentlichung der Ergebnisse“ "
        "veröffentlicht."
    )
    return Response(message, status=404, mimetype="text/plain")


def _open_data(slug: str) -> tuple[Process, list[public.PublicRecommendation]] | Response:
    process = _process_or_404(slug)
    if not public.results_shown(process):
        return _not_yet()
    form = _filter_form(process)
    return process, public.results(process.id, form.filters(), quotes=False)


def _record(process: Process, item: public.PublicRecommendation) -> dict:
    rec, kept, note = item.recommendation, item.figures, item.note
    return {
        "id": rec.id,
        "titel": rec.title,
        "themenfelder": [t.title for t in rec.theme_fields],
        "adressat": rec.addressee,
        "art_der_massnahme": rec.measure,
        "status": rec.status.value,
        "status_bezeichnung": str(labels.STATUS[rec.status]),
        "letzte_meldung_am": note.at.isoformat() if note else None,
        "letzte_meldung": plain_text(note.public_note) if note else None,
        "fortschritt_prozent": note.progress_percent if note else None,
        "link": (note.link or None) if note else None,
        "beitraege": kept.answers,
        "stimmen": kept.voices,
        "perspektiven": kept.perspectives,
        "beitraege_in_kampagnen": kept.campaign_answers,
        "veroeffentlichte_beitraege": kept.published_answers,
        "dokumentationseintraege": kept.documentation_entries,
        "zustimmungen": kept.agreement,
        "beitraege_url": url_for(
            "answers.list_answers", slug=process.slug, empfehlung=rec.id, _external=True
        ),
    }


def _licence_header(response: Response) -> Response:
    response.headers["Link"] = f'<{public.LICENCE_URL}>; rel="license"'
    return response


def results_csv(slug: str):
    found = _open_data(slug)
    if isinstance(found, Response):
        return found
    process, items = found
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        record = _record(process, item)
        record["themenfelder"] = "; ".join(record["themenfelder"])
        writer.writerow(record)
    db.session.commit()  # the figures recomputed on reading
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="handlungsempfehlungen-{process.slug}.csv"'
    )
    return _licence_header(response)


def results_json(slug: str):
    found = _open_data(slug)
    if isinstance(found, Response):
        return found
    process, items = found
    response = jsonify(
        {
            "prozess": process.title,
            "quelle": url_for(
                "public_recommendations.recommendation_results", slug=process.slug, _external=True
            ),
            "stand": now_utc().isoformat(),
            "lizenz": {
                "id": public.LICENCE_ID,
                "name": public.LICENCE_NAME,
                "url": public.LICENCE_URL,
            },
            "empfehlungen": [_record(process, item) for item in items],
        }
    )
    db.session.commit()  # the figures recomputed on reading
    return _licence_header(response)


def results_feed(slug: str):
    """Atom: the public status changes (an empty feed before the results phase)."""
    process = _process_or_404(slug)
    changes = public.feed_changes(process.id) if public.results_shown(process) else []
    xml = render_template(
        "recommendations/public_feed.xml",
        process=process,
        changes=changes,
        updated=changes[0][0].at if changes else process.updated_at,
        host=request.host.split(":")[0],
        status_labels=labels.STATUS,
        licence_name=public.LICENCE_NAME,
        licence_url=public.LICENCE_URL,
    )
    return Response(xml, mimetype="application/atom+xml")
