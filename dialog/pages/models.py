"""Editable text pages such as Impressum and Datenschutzerklärung."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from dialog.common.models import TimestampMixin
from dialog.extensions import db


class Page(TimestampMixin, db.Model):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80))  # URL part, e.g. "impressum"
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")  # rich text (Markdown)
    in_footer: Mapped[bool] = mapped_column(default=True)  # linked from every page's footer
    position: Mapped[int] = mapped_column(default=0)  # order in the footer
    # A video shown with the text, e.g. in Deutscher Gebärdensprache: an address on this site
    # (no third-party embeds), and its content as text for everyone who cannot watch it.
    video_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    video_transcript: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    __table_args__ = (sa.UniqueConstraint("slug"),)

    def __repr__(self) -> str:
        return f"<Page {self.slug}>"
