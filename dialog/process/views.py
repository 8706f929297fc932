from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from dialog.common import pagecache
from dialog.process import services


@pagecache.cached
def home():
    process = services.featured_process()
    if process is None:
        return render_template("process/no_process.html")
    return render_template("process/overview.html", process=process, is_home=True)


@pagecache.cached
def show_process(slug: str):
    process = services.public_process(slug, current_user.is_authenticated) or abort(404)
    return render_template("process/overview.html", process=process, is_home=False)
