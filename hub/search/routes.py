"""Open data per query: /posts.csv?… and /posts.atom?… take the same parameters as /posts/."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, request, stream_with_context, url_for
from flask_babel import gettext as _

from .. import labels
from ..extensions import limiter
from . import query as run_query
from .query_types import SearchQuery

bp = Blueprint("search", __name__)

LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CSV_PAGE = 500
CSV_MAX_ROWS = 10_000
FEED_ENTRIES = 50
# A cell starting with one of these is a formula to a spreadsheet; a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """A CSV cell that a spreadsheet will never evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


# Characters XML 1.0 does not allow at all, escaped or not: one in a title or a query breaks the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _xml_attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


CSV_COLUMNS = (
    "id", "länk", "slag", "titel", "sammanfattning", "organisation", "kommun", "aktörstyp",
    "fokusområden", "taggar", "status", "bra exempel", "publicerad", "uppdaterad",
    "minskning (ton CO2e)", "period", "kopierad från (id)",
)


def _csv_row(post) -> list:
    org = post.organisation
    return [
        post.id,
        url_for("posts.show", post_id=post.id, _external=True),
        str(labels.POST_KINDS.get(post.kind, post.kind)),
        post.title,
        post.summary,
        org.name,
        org.municipality,
        str(labels.ORG_KINDS.get(org.kind, org.kind)),
        "; ".join(area.name_sv for area in post.focus_areas),
        "; ".join(post.tags or []),
        str(labels.STATUSES.get(post.status, post.status)) if post.status else "",
        bool(post.featured),
        _iso(post.published_at),
        _iso(post.updated_at),
        post.reduction_tonnes if post.reduction_tonnes is not None else "",
        str(labels.REDUCTION_PERIODS.get(post.reduction_period, "")) if post.reduction_period else "",
        post.copied_from_id or "",
    ]


@bp.app_template_global()
def csv_max_rows() -> int:
    """The most rows a CSV export holds: the download links say when a result has more."""
    return CSV_MAX_ROWS


@bp.get("/posts.csv")
@limiter.limit("30 per minute")
def posts_csv():
    query = SearchQuery.from_args(request.args).with_(per_page=CSV_PAGE, page=1)
    # The first page is read before the response starts, so a lost database still gets its 503.
    first = run_query(query, facets=False, clamp_page=False)

    def rows():
        buffer = io.StringIO()
        # Semicolons, as Excel with Swedish settings expects; the BOM tells it the text is UTF-8.
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        written = 0
        page = 1
        results = first
        while written < CSV_MAX_ROWS:
            if page > 1:
                results = run_query(query.with_(page=page), facets=False, clamp_page=False)
            for post in results.posts[: CSV_MAX_ROWS - written]:
                writer.writerow([safe_cell(v) for v in _csv_row(post)])
                written += 1
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if page >= results.pages or not results.hits:
                break
            page += 1

    filename = "klimathubben-inlagg.csv"
    return Response(
        stream_with_context(rows()),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
            "Link": f'<{LICENSE_URL}>; rel="license"',
            "Cache-Control": "public, max-age=60",
        },
    )


@bp.get("/posts.atom")
def posts_atom():
    query = SearchQuery.from_args(request.args).with_(page=1, per_page=FEED_ENTRIES)
    if not query.has_text or query.sort == "relevance":
        query = query.with_(sort="newest")
    results = run_query(query, facets=False)
    posts = results.posts
    updated = max((p.updated_at or p.published_at for p in posts), default=None)
    self_url = url_for("search.posts_atom", _external=True, **query.to_params(page="", sort=""))
    page_url = url_for("posts.index", _external=True, **query.to_params(page="", sort=""))
    title = _("Klimathubben: %(what)s", what=query.q) if query.q else _("Klimathubben: nya inlägg")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">',
        f"<title>{_xml_text(title)}</title>",
        f"<id>{_xml_text(self_url)}</id>",
        f'<link rel="self" type="application/atom+xml" href={_xml_attr(self_url)}/>',
        f'<link rel="alternate" type="text/html" href={_xml_attr(page_url)}/>',
        f'<link rel="license" href={_xml_attr(LICENSE_URL)}/>',
        f"<updated>{_iso(updated) or _iso(datetime.now(UTC))}</updated>",
        f"<rights>{_xml_text(_('Öppna data under %(license)s', license=LICENSE_NAME))}</rights>",
        "<generator>Klimathubben</generator>",
    ]
    for post in posts:
        url = url_for("posts.show", post_id=post.id, _external=True)
        out.append("<entry>")
        out.append(f"<title>{_xml_text(post.title)}</title>")
        out.append(f"<id>{_xml_text(url)}</id>")
        out.append(f'<link rel="alternate" type="text/html" href={_xml_attr(url)}/>')
        out.append(f"<published>{_iso(post.published_at)}</published>")
        out.append(f"<updated>{_iso(post.updated_at or post.published_at)}</updated>")
        out.append(f"<author><name>{_xml_text(post.organisation.name)}</name></author>")
        out.append(f'<category term={_xml_attr(post.kind)} label={_xml_attr(str(labels.POST_KINDS[post.kind]))}/>')
        for area in post.focus_areas:
            out.append(f"<category term={_xml_attr(area.slug)} label={_xml_attr(area.name_sv)}/>")
        if post.summary:
            out.append(f"<summary>{_xml_text(post.summary)}</summary>")
        out.append("</entry>")
    out.append("</feed>")
    return Response(
        "\n".join(out),
        mimetype="application/atom+xml",
        headers={"Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300"},
    )
