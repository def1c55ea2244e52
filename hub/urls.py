"""URL helpers: ids a URL may carry, and where it is safe to send a user back to."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

# PostgreSQL's integer: a larger id cannot exist, and both databases fail on one (SQLite with an
# OverflowError past 64 bits, PostgreSQL with "integer out of range"), so it must be a 404 instead.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route, bounded to ids the database can hold."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            # Not found outright: a ValidationError would make werkzeug answer 405 wherever the same
            # path has a rule for another method (GET and POST /posts/<id>/answers).
            raise NotFound()
        return number


def parse_id(value) -> int | None:
    """An id from a query string or form value, or None for anything that cannot be one."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def safe_next(target: str | None) -> str | None:
    """A same-site path to redirect to after a form, or None for anything else."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target
