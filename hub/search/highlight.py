"""Excerpts with the matching words marked: text is escaped, only <mark> is added."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from . import analysis

EXCERPT_CHARS = 240
LEAD_CHARS = 50
SCAN_CHARS = 4000  # matches further into a long text are not worth the time of the list page


@dataclass
class Terms:
    """What counts as a match: stems as typed, and folded stems (with compound expansions)."""

    stems: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)
    _seen: dict[str, str | None] = field(default_factory=dict)
    _pattern: re.Pattern | None = None

    def __bool__(self) -> bool:
        return bool(self.stems or self.folded)

    def candidates(self) -> re.Pattern | None:
        """A regex for the words that might match: they begin like a match key (å/ä/ö or not)."""
        if self._pattern is None and self:
            starts = {analysis.fold(key)[:3] for key in self.stems | self.folded if key}
            classes = []
            for start in sorted(starts):
                classes.append("".join(_FOLDS.get(ch, re.escape(ch)) for ch in start))
            self._pattern = re.compile(r"\b(?:" + "|".join(classes) + r")[^\W_]*", re.IGNORECASE)
        return self._pattern

    def matches(self, word: str) -> str | None:
        """The key a matching word counts under (its folded stem), or None."""
        try:
            return self._seen[word]
        except KeyError:
            pass
        key = None
        if analysis.is_indexable(word):
            stem = analysis.stem(word)
            folded = analysis.fold(stem)
            if stem in self.stems or folded in self.folded:
                key = folded
        self._seen[word] = key
        return key


_FOLDS = {"a": "[aåäáà]", "o": "[oöó]", "e": "[eéèë]", "u": "[uüú]", "i": "[iíï]"}


def _found(text: str, terms: Terms, start: int = 0, end: int | None = None):
    """(start, end, key) of each matching word, found with a regex before any stemming."""
    pattern = terms.candidates()
    if pattern is None:
        return
    for match in pattern.finditer(text, start, len(text) if end is None else end):
        key = terms.matches(match.group().lower()[: analysis.MAX_WORD_CHARS])
        if key:
            yield match.start(), match.end(), key


def _marked(text: str, start: int, end: int, terms: Terms) -> Markup:
    out: list[str] = []
    position = start
    for ws, we, _key in _found(text, terms, start, end):
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
    # Without words to mark, the excerpt is the text's beginning: no need to read further.
    scan = SCAN_CHARS if terms else length + 1
    text = " ".join(analysis.normalize(text[: scan * 2]).split())[:scan]
    if not text:
        return Markup("")
    hits = [(ws, key) for ws, _we, key in _found(text, terms)][:200] if terms else []
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
