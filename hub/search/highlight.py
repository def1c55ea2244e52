"""Excerpts with the matching words marked: text is escaped, only <mark> is added."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from . import analysis

EXCERPT_CHARS = 240
LEAD_CHARS = 50


@dataclass
class Terms:
    """What counts as a match: stems as typed, and folded stems (with compound expansions)."""

    stems: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.stems or self.folded)

    def matches(self, word: str) -> str | None:
        """The key a matching word counts under (its folded stem), or None."""
        if not analysis.is_indexable(word):
            return None
        stem = analysis.stem(word)
        folded = analysis.fold(stem)
        if stem in self.stems or folded in self.folded:
            return folded
        return None


def _marked(text: str, start: int, end: int, terms: Terms) -> Markup:
    out: list[str] = []
    position = start
    for word, ws, we in analysis.words(text[start:end]):
        ws += start
        we += start
        if terms.matches(word):
            out.append(str(escape(text[position:ws])))
            out.append(f"<mark>{escape(text[ws:we])}</mark>")
            position = we
    out.append(str(escape(text[position:end])))
    return Markup("".join(out))


def mark(text: str, terms: Terms) -> Markup:
    """The whole text, escaped, with matches marked (for titles)."""
    text = analysis.normalize(text)
    if not terms:
        return escape(text)
    return _marked(text, 0, len(text), terms)


def _cut_end(text: str, end: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", 0, end)
    return space if space > end - 40 else end


def excerpt(text: str, terms: Terms, length: int = EXCERPT_CHARS) -> Markup:
    """A window of the text around the densest matches, escaped, matches marked."""
    text = " ".join(analysis.normalize(text).split())
    if not text:
        return Markup("")
    hits = [(ws, key) for word, ws, _we in analysis.words(text) if (key := terms.matches(word))] if terms else []
    if not hits:
        end = _cut_end(text, length)
        return escape(text[:end]) + (Markup("…") if end < len(text) else Markup(""))
    best_start, best_score = 0, -1
    for i, (ws, _key) in enumerate(hits):
        distinct = {key for pos, key in hits[i:] if pos < ws + length - LEAD_CHARS}
        if len(distinct) > best_score:
            best_start, best_score = ws, len(distinct)
    start = max(0, best_start - LEAD_CHARS)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = _cut_end(text, start + length)
    prefix = Markup("…") if start > 0 else Markup("")
    suffix = Markup("…") if end < len(text) else Markup("")
    return prefix + _marked(text, start, end, terms) + suffix
