"""Text handling shared by every write: normalisation, Markdown rendering and sanitising."""

from __future__ import annotations

import re
import unicodedata

import markdown as md
import nh3

from .urls import safe_next

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
LINK_REL = "nofollow ugc noopener"


def nfc(value):
    """NFC-normalise a string (other values pass through), so pasted decomposed text matches."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).replace("\x00", "")
    return value


def clean_line(value: str | None) -> str:
    """NFC, no control characters, single spaces: for titles, names and tags."""
    value = nfc(value or "")
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch == " ")
    return re.sub(r"\s+", " ", value).strip()


def _only_local_images(tag: str, attribute: str, value: str) -> str | None:
    # Images may come only from the hub itself: a remote image would leak readers to another origin.
    # A same-site path is what a safe redirect target is, so both use one check: browsers read
    # "/\evil.example" and "/<tab>/evil.example" as "//evil.example", another site.
    if tag == "img" and attribute == "src":
        return safe_next(value)
    return value


def render_markdown(source: str) -> str:
    """Markdown to HTML that is safe to show: no scripts, no handlers, marked-up links."""
    html = md.markdown(nfc(source or ""), extensions=["sane_lists", "tables"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_only_local_images,
    )


def slugify(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.lower())
    value = value.replace("å", "a").replace("ä", "a").replace("ö", "o")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")[:80]
