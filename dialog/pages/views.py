from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for

from dialog.common import pagecache
from dialog.common.http import safe_redirect_target
from dialog.pages import services


@pagecache.cached
def show_page(slug: str):
    page = services.page_by_slug(slug) or abort(404)
    return render_template("pages/page.html", page=page)


def switch_language(lang: str):
    """Remember the chosen language and return to the page the visitor came from."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    return redirect(safe_redirect_target(request.args.get("next"), url_for("process.home")))
