"""Loading and changing the editable text pages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from dialog.common import audit
from dialog.extensions import db
from dialog.pages.models import Page


def footer_pages() -> list[Page]:
    stmt = sa.select(Page).where(Page.in_footer.is_(True)).order_by(Page.position, Page.title)
    return list(db.session.scalars(stmt))


def all_pages() -> list[Page]:
    return list(db.session.scalars(sa.select(Page).order_by(Page.position, Page.title)))


def page_by_slug(slug: str) -> Page | None:
    return db.session.scalar(sa.select(Page).where(Page.slug == slug))


def save_page(actor, page: Page | None, values: dict[str, Any]) -> Page:
    return audit.save(actor, page or Page(), values, created=page is None, name="page")


def delete_page(actor, page: Page) -> None:
    # The log keeps the deleted text, so that a page deleted by mistake can be restored.
    audit.record(
        actor,
        "page.delete",
        page,
        {"slug": [page.slug, None], "title": [page.title, None], "body": [page.body, None]},
    )
    db.session.delete(page)
