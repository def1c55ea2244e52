"""Swedish text analysis shared by both backends, the query builder and the highlighter.

Everything that decides whether a word matches lives here, so Whoosh, PostgreSQL and the
excerpt highlighter agree:

- ``normalize``: NFC (text pasted in decomposed form matches), no NUL or control characters.
- ``words``: word tokens with their offsets (letters and digits; punctuation, operators and
  query syntax are separators, so user input can never become query syntax).
- ``stem``: Snowball Swedish, plus one rule Snowball lacks: the unstressed e before a final
  l/n/r drops in inflection (cykel/cyklar, nyckel/nycklar, vinter/vintrar), so both forms meet.
- ``fold``: without diacritics (å→a, ä→a, ö→o, é→e); matched in a field of its own with a lower
  weight, so "atervinning" finds "återvinning" below the exact spelling.
- ``compound_expansions``: the index's own vocabulary acts as the lexicon for Swedish compounds:
  a query word finds the compounds it begins or ends ("återbruk" → "återbruksgalleria",
  "infrastruktur" → "laddinfrastruktur") when the rest of the compound is itself a word; a
  head keeps the e its inflections drop ("cyklar" → "cykelstråk").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.swedish import SwedishStemmer

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
MAX_WORD_CHARS = 40

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_E_DROP = re.compile(r"(?<=[^aeiouyåäöé])e(?=[lnr]$)")

# Snowball's Swedish stop list (PostgreSQL's 'swedish' configuration uses the same one).
STOPWORDS = frozenset(stopwords_for_language("sv"))

# Short words that are common parts of compounds in the hub's domain; the index vocabulary
# supplies the rest. Only used to accept a split, never indexed on their own.
COMPOUND_PARTS = frozenset(
    """
    el sol vind bil buss tåg cykel cykl gas bio mat vatten vatt värme kyla kyl fjärr energi hus
    tak väg gata park skog jord avfall plast glas papper textil trä bygg bostad bostäder hyres
    rätt förening kontor skola skol förskola vård kommun stad region land laddning ladd ladda
    station stolp plats pool delning resa res resor tjänst tjänste affär arbete arbets pendling
    klimat miljö hållbar cirkulär åter bruk handel inköp upphandling krav plan policy strategi
    utbildning kunskap råd stöd ekonomi budget investering kostnad fordon transport last logistik
    frakt leverans båt flyg ström nät batteri lager solcell panel belysning lampa led sten betong
    stål material produkt varor lokal lokaler fastighet fastigheter anläggning infrastruktur
    """.split()
)

# Endings that turn a stem into a related word rather than a compound (cykl → cykling, cyklist),
# and inflections Snowball leaves on (resepolicyn, klimatprogrammet: a doubled consonant is allowed).
DERIVATIONS = frozenset(
    ("ing", "ning", "ist", "are", "ande", "ende", "het", "lig", "ig", "isk", "else", "ering", "era")
)
INFLECTIONS = frozenset(
    ("n", "t", "s", "e", "a", "en", "et", "na", "ar", "er", "or", "ns", "ts", "ens", "ets", "ars", "ers",
     "arna", "erna", "orna", "arnas", "ernas", "ornas", "ade", "at", "ad")
)

_stemmer = SwedishStemmer()


def normalize(text: str | None) -> str:
    """NFC, without NUL and control characters (newlines and tabs become spaces)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    return _CONTROL.sub(" ", text).replace("\t", " ")


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """(lower-cased word, start, end) for each word in already normalised text."""
    for match in _WORD.finditer(text):
        # Overlong "words" (pasted garbage) are cut, the same way when indexing and searching.
        yield match.group().lower()[:MAX_WORD_CHARS], match.start(), match.end()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Swedish stem of a lower-cased word (see the module docstring for the extra rule)."""
    result = _stemmer.stem(word)
    if len(result) >= 5:
        result = _E_DROP.sub("", result)
    return result


@lru_cache(maxsize=200_000)
def fold(term: str) -> str:
    """Without diacritics: å→a, ä→a, ö→o, é→e, ü→u."""
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_indexable(word: str) -> bool:
    return len(word) >= 2 and word not in STOPWORDS


def stems(text: str) -> list[str]:
    """Stems of every indexable word of the text, in order (repeats kept, for term frequency).

    The words as `words` cuts them, without their offsets: 0.34 ms for 5 000 characters against
    0.57 ms (indexing, and "Liknande" on every post page, read whole texts)."""
    found = []
    for word in _WORD.findall(normalize(text)):
        word = word.lower()[:MAX_WORD_CHARS]
        if len(word) >= 2 and word not in STOPWORDS:  # is_indexable, inline
            found.append(stem(word))
    return found


def query_words(text: str) -> tuple[list[str], bool]:
    """The user's search words (stop words dropped, duplicates removed) and whether any were cut."""
    result: list[str] = []
    truncated = False
    for word, _s, _e in words(normalize(text)):
        if not is_indexable(word) or word in result:
            continue
        if len(result) >= MAX_QUERY_TERMS:
            truncated = True
            break
        result.append(word)
    return result, truncated


# --- compounds --------------------------------------------------------------------------------


def _strip_link(part: str, leading: bool) -> list[str]:
    """The part itself and the part without a Swedish linking letter (s, e)."""
    options = [part]
    if leading and len(part) > 3 and part[0] in "s":
        options.append(part[1:])
    if not leading and len(part) > 3 and part[-1] in "se":
        options.append(part[:-1])
    return options


def compound_heads(term: str) -> list[str]:
    """The forms a folded stem takes at the head of a compound: itself and, where ``stem``
    dropped an e before a final l/n/r (cykel, cyklar: cykl), the full form (cykelstråk,
    nyckeltal, vinterväg). Not after l/n/r itself: "barn" is not "baren"."""
    if len(term) >= 4 and term[-1] in "lnr" and term[-2] not in "aeiouylnr":
        return [term, f"{term[:-1]}e{term[-1]}"]
    return [term]


def compound_expansions(
    term: str,
    with_prefix: Callable[[str], Iterable[str]],
    with_suffix: Callable[[str], Iterable[str]],
    known: Callable[[Iterable[str]], set[str]],
    limit: int = 30,
) -> list[str]:
    """Folded stems in the index that are compounds (or derivations) of the folded stem ``term``.

    ``with_prefix``/``with_suffix`` list vocabulary terms beginning/ending with a string;
    ``known`` says which candidate parts are words of the vocabulary. A candidate is accepted
    when the rest of it is a known word (after a linking s/e), a derivational ending, or, for a
    long query word, long enough to be a word of its own.
    """
    if len(term) < 3:
        return []
    # (candidate, remainder, remainder is the head, the word's part is long enough to stand alone)
    candidates: list[tuple[str, str, bool, bool]] = []
    for form in compound_heads(term):
        for cand in with_prefix(form):
            if cand != term:
                candidates.append((cand, cand[len(form):], False, len(form) >= 5))
    for cand in with_suffix(term):
        if cand != term:
            candidates.append((cand, cand[: -len(term)], True, len(term) >= 5))
    if not candidates:
        return []
    parts: set[str] = set()
    for _cand, rest, head, _long in candidates:
        parts.update(_strip_link(rest, leading=not head))
    vocabulary = known(p for p in parts if len(p) >= 2)
    accepted: list[str] = []
    for cand, rest, head, long_part in candidates:
        options = _strip_link(rest, leading=not head)
        ok = any(p in vocabulary or p in _FOLDED_PARTS for p in options if len(p) >= 2)
        if not ok and not head:
            ending = rest[1:] if len(rest) > 1 and rest[0] == term[-1] else rest
            ok = rest in DERIVATIONS or rest in INFLECTIONS or ending in INFLECTIONS
        if not ok and long_part and len(rest) >= 4:
            ok = True
        if ok and cand not in accepted:
            accepted.append(cand)
            if len(accepted) >= limit:
                break
    return accepted


_FOLDED_PARTS = frozenset(fold(stem(p)) for p in COMPOUND_PARTS) | frozenset(fold(p) for p in COMPOUND_PARTS)


def split_compound(word: str, known: Callable[[Iterable[str]], set[str]]) -> list[str] | None:
    """Split a word the index does not have into two words it has ("biogasbussar" → biogas, bussar)."""
    if len(word) < 7 or not word.isalpha():
        return None
    candidates: list[tuple[int, list[str], str, str]] = []  # (head length, head options, tail, tail key)
    for i in range(len(word) - 3, 2, -1):
        head, tail = word[:i], word[i:]
        heads = [head] + ([head[:-1]] if len(head) > 3 and head[-1] in "se" else [])
        candidates.append((i, heads, tail, fold(stem(tail))))
    wanted = {fold(stem(h)) for _i, heads, _t, _k in candidates for h in heads} | {c[3] for c in candidates}
    vocabulary = known(wanted) | (wanted & _FOLDED_PARTS)
    for _i, heads, tail, tail_key in candidates:  # the longest known head first
        if tail_key not in vocabulary:
            continue
        for head in heads:
            if fold(stem(head)) in vocabulary:
                return [head, tail]
    return None


# --- spelling ---------------------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def spelling_candidates(word: str, vocabulary: Iterable[str]) -> list[tuple[int, str]]:
    """Vocabulary words close to ``word``: (distance, word), closest first."""
    limit = 1 if len(word) <= 4 else 2
    found = []
    for candidate in vocabulary:
        if candidate == word or len(candidate) < 3:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            found.append((distance, candidate))
    found.sort()
    return found
