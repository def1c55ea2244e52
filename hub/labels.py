"""Human labels for stored vocabulary values, translated; templates and forms read them here."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

ORG_KINDS = {
    "kommun": _l("Kommun"),
    "foretag": _l("Företag"),
    "offentlig": _l("Offentlig verksamhet"),
    "akademi": _l("Akademi"),
    "forening": _l("Förening"),
    "region": _l("Region"),
    "myndighet": _l("Myndighet"),
}
SIZE_BANDS = {
    "1-9": _l("1–9 anställda"),
    "10-49": _l("10–49 anställda"),
    "50-249": _l("50–249 anställda"),
    "250-999": _l("250–999 anställda"),
    "1000+": _l("1 000 anställda eller fler"),
}
ROLES = {"member": _l("Medlem"), "moderator": _l("Moderator"), "admin": _l("Administratör")}
PARTY_ROLES = {
    "part": _l("Part"),
    "projektpart": _l("Projektpart"),
    "partner": _l("Partner"),
    "stodpartner": _l("Stödpartner"),
}
COMMITMENT_STATUSES = {"ej_paborjad": _l("Ej påbörjad"), "pagar": _l("Pågår"), "genomford": _l("Genomförd")}

POST_KINDS = {
    "solution": _l("Åtgärd"),
    "lesson": _l("Lärdom"),
    "challenge": _l("Utmaning"),
    "offer": _l("Stöderbjudande"),
}
POST_KINDS_PLURAL = {
    "solution": _l("Åtgärder"),
    "lesson": _l("Lärdomar"),
    "challenge": _l("Utmaningar"),
    "offer": _l("Stöderbjudanden"),
}
POST_STATES = {"draft": _l("Utkast"), "published": _l("Publicerad"), "archived": _l("Arkiverad")}
STATUSES = {
    "planerad": _l("Planerad"),
    "pagaende": _l("Pågående"),
    "genomford": _l("Genomförd"),
    "oppen": _l("Öppen"),
    "lost": _l("Löst"),
}
REDUCTION_PERIODS = {"per_year": _l("ton CO₂e per år"), "one_off": _l("ton CO₂e, engångs")}
ESTIMATION_METHODS = {
    "klimatklivet": _l("Klimatklivets beräkning"),
    "emission_factor": _l("Emissionsfaktor med källa"),
    "measured": _l("Uppmätt"),
    "rough": _l("Grov uppskattning"),
}
COST_BANDS = {
    "lt_100k": _l("Under 100 000 kr"),
    "100k_1m": _l("100 000 – 1 miljon kr"),
    "1m_10m": _l("1–10 miljoner kr"),
    "gt_10m": _l("Över 10 miljoner kr"),
}
LEAD_TIMES = {
    "lt_3m": _l("Under 3 månader"),
    "3_12m": _l("3–12 månader"),
    "1_3y": _l("1–3 år"),
    "gt_3y": _l("Mer än 3 år"),
}
LESSON_TYPES = {
    "upphandling": _l("Upphandling"),
    "finansiering": _l("Finansiering"),
    "beteende": _l("Beteende"),
    "teknik": _l("Teknik"),
    "organisation": _l("Organisation"),
    "juridik": _l("Juridik"),
}
REPORT_REASONS = {
    "felaktig": _l("Felaktig information"),
    "olamplig": _l("Olämpligt"),
    "spam": _l("Reklam/spam"),
    "personuppgifter": _l("Personuppgifter"),
    "annat": _l("Annat"),
}
EMAIL_MODES = {"off": _l("Ingen e-post"), "immediate": _l("Direkt"), "daily": _l("Daglig sammanfattning")}


def choices(pairs, blank=None) -> list[SelectChoice]:
    """WTForms choices from a label mapping or (value, label) pairs, optionally led by a blank."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return ([SelectChoice("", blank)] if blank is not None else []) + [SelectChoice(v, label) for v, label in items]


_translated: dict[str, dict[str, dict[str, str]]] = {}


def as_context(locale: str) -> dict[str, dict[str, str]]:
    """Everything above in `locale`, for templates: {{ labels.ORG_KINDS[org.kind] }}.

    Translated once per locale and kept: a lazy label looks its catalogue up at every use, and
    a list page shows a few hundred of them.
    """
    try:
        return _translated[locale]
    except KeyError:
        pass
    found = {
        name: {key: str(label) for key, label in mapping.items()}
        for name, mapping in globals().items()
        if name.isupper() and isinstance(mapping, dict)
    }
    _translated[locale] = found
    return found
