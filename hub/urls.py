"""URL helpers: ids a URL may carry, where it is safe to send a user back to, web addresses people give."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
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


class BadAddress(ValueError):
    """A web address that cannot be linked; `message` says why, in Swedish."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def web_address(raw: str | None, max_length: int) -> str:
    """An http(s) address with a host, as typed (scheme lower-cased), or "" for none."""
    url = (raw or "").strip()
    if not url:
        return ""
    if len(url) > max_length:
        raise BadAddress(_l("Adressen får vara högst %(max)d tecken.", max=max_length))
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise BadAddress(_l("Adressen får inte innehålla mellanslag."))
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        raise BadAddress(_l("Ange en giltig webbadress.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadAddress(_l("Adressen måste börja med https:// eller http://."))
    if not host or "." not in host.strip(".") or parts.username or parts.password:
        raise BadAddress(_l("Ange en giltig webbadress, till exempel https://www.example.se/hallbarhet."))
    return parts._replace(scheme=parts.scheme.lower()).geturl()
