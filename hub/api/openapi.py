"""GET /api/v1/openapi.json: an OpenAPI 3.1 description of every endpoint the JSON API has.

Paths come from the app's URL map, so a new endpoint is listed as soon as it exists; the
endpoints below are described in detail, any other gets a generic entry.
"""

from __future__ import annotations

import re

from flask import current_app, url_for

from ..models import CHALLENGE_STATUSES, ORG_KINDS, POST_KINDS, SOLUTION_STATUSES
from . import DEFAULT_PER_PAGE, MAX_PER_PAGE, bp

LICENSE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>[a-z_]+)>")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, description: str, schema: dict, repeat: bool = False) -> dict:
    if repeat:
        return {"name": name, "in": "query", "description": description, "required": False,
                "schema": {"type": "array", "items": schema}, "style": "form", "explode": True}
    return {"name": name, "in": "query", "description": description, "required": False, "schema": schema}


PAGE = [
    _param("page", "Sida, från 1.", {"type": "integer", "minimum": 1, "default": 1}),
    _param("per_page", "Poster per sida.", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                            "default": DEFAULT_PER_PAGE}),
]
SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}

POST_SEARCH = [
    _param("q", "Sökord på svenska (böjningar, sammansättningar och ord utan å/ä/ö hittas). Högst 200 tecken; "
                "operatorer och fältsyntax behandlas som vanlig text.", {"type": "string", "maxLength": 200}),
    _param("kind", "Slag av inlägg.", {"type": "string", "enum": list(POST_KINDS)}, repeat=True),
    _param("area", "Fokusområdets slug; flera betyder något av dem.", SLUG, repeat=True),
    _param("municipality", "Organisationens kommun.", {"type": "string"}, repeat=True),
    _param("org_kind", "Slag av aktör.", {"type": "string", "enum": list(ORG_KINDS)}, repeat=True),
    _param("status", "Status (åtgärder: planerad, pagaende, genomford; utmaningar: oppen, lost).",
           {"type": "string", "enum": list(SOLUTION_STATUSES + CHALLENGE_STATUSES)}, repeat=True),
    _param("featured", "1: bara utvalda bra exempel.", {"type": "string", "enum": ["1"]}),
    _param("year", "Publiceringsår.", {"type": "integer", "minimum": 1990, "maximum": 2100}, repeat=True),
    _param("org", "Organisationens slug.", SLUG),
    _param("sort", "Ordning: relevance (standard när q finns), newest, copied.",
           {"type": "string", "enum": ["relevance", "newest", "copied"], "default": "relevance"}),
    *PAGE,
]


def _list_of(item: str, extra: dict | None = None) -> dict:
    properties = {
        "items": {"type": "array", "items": _ref(item)},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
    }
    properties.update(extra or {})
    return {"type": "object", "required": ["items", "total", "page", "per_page"], "properties": properties}


ENDPOINTS: dict[str, dict] = {
    "api.index": {"summary": "API:ts ingång med länkar till listorna.", "schema": {"type": "object"}},
    "api.openapi": {"summary": "Den här beskrivningen (OpenAPI 3.1).", "schema": {"type": "object"}},
    "api.posts": {
        "summary": "Sök och lista publicerade inlägg (åtgärder, lärdomar, utmaningar, stöderbjudanden).",
        "description": "Samma parametrar som sidan /posts/ och exporterna /posts.csv och /posts.atom. "
                       "Svaret har antal per filtervärde i `facets`.",
        "parameters": POST_SEARCH,
        "schema": _list_of("Post", {
            "facets": {"type": "object", "description": "{facett: {värde: antal}} för kind, area, municipality, "
                       "org_kind, status, featured, year och org (organisationens slug).",
                       "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
            "suggestion": {"type": ["string", "null"], "description": "\"Menade du …?\": en närliggande stavning "
                           "som ger fler träffar."},
            "license": _ref("License"),
        }),
    },
    "api.post": {"summary": "Ett publicerat inlägg.", "schema": _ref("Post")},
    "api.organisations": {
        "summary": "Organisationer som är parter i klimatkontrakten.",
        "parameters": [_param("kind", "Slag av aktör.", {"type": "string", "enum": list(ORG_KINDS)}),
                       _param("municipality", "Kommun.", {"type": "string"}), *PAGE],
        "schema": _list_of("Organisation"),
    },
    "api.organisation": {"summary": "En organisation med dess kontrakt och åtaganden.", "schema": _ref("Organisation")},
    "api.contracts": {
        "summary": "Lokala klimatkontrakt.",
        "parameters": [_param("city", "Stad.", {"type": "string"}), *PAGE],
        "schema": _list_of("Contract"),
    },
    "api.contract": {"summary": "Ett klimatkontrakt med parter och numrerade åtaganden.", "schema": _ref("Contract")},
    "api.focus_areas": {"summary": "Fokusområden.", "parameters": PAGE, "schema": _list_of("FocusArea")},
}

SCHEMAS = {
    "License": {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}}},
    "Error": {
        "type": "object",
        "required": ["status", "error", "message"],
        "properties": {"status": {"type": "integer"}, "error": {"type": "string"}, "message": {"type": "string"}},
    },
    "Post": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "kind": {"type": "string", "enum": list(POST_KINDS)},
            "status": {"type": ["string", "null"]},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "body_html": {"type": "string", "description": "Sanerad HTML."},
            "tags": {"type": "array", "items": {"type": "string"}},
            "organisation": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}},
            "focus_areas": {"type": "array", "items": {"type": "string"}, "description": "Fokusområdenas slugs."},
            "commitments": {"type": "array", "items": {"type": "integer"}},
            "copied_from": {"type": ["integer", "null"]},
            "copies": {"type": "array", "items": {"type": "integer"}},
            "copy_count": {"type": "integer"},
            "featured": {"type": "boolean"},
            "featured_reason": {"type": ["string", "null"]},
            "answers": {"type": "array", "items": {"type": "object"}, "description": "Bara utmaningar."},
            "created_at": {"type": "string", "format": "date-time"},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
        "additionalProperties": True,
    },
    "Organisation": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(ORG_KINDS)}, "municipality": {"type": "string"},
            "sector": {"type": "string"}, "size_band": {"type": "string"}, "website": {"type": "string"},
            "description": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
        },
        "additionalProperties": True,
    },
    "Contract": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "city": {"type": "string"}, "title": {"type": "string"},
            "signed_on": {"type": ["string", "null"], "format": "date"}, "year": {"type": ["integer", "null"]},
        },
        "additionalProperties": True,
    },
    "FocusArea": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "slug": {"type": "string"}, "name_sv": {"type": "string"},
            "name_en": {"type": "string"}, "city": {"type": "string"}, "position": {"type": "integer"},
        },
        "additionalProperties": True,
    },
}


def _path(rule) -> tuple[str, list[dict]]:
    parameters = []

    def replace(match: re.Match) -> str:
        name = match.group("name")
        kind = {"int": "integer", "float": "number"}.get(match.group("conv") or "", "string")
        parameters.append({"name": name, "in": "path", "required": True, "schema": {"type": kind}})
        return "{" + name + "}"

    return _CONVERTER.sub(replace, rule.rule), parameters


def _operation(endpoint: str, path_parameters: list[dict]) -> dict:
    doc = ENDPOINTS.get(endpoint, {})
    operation = {
        "operationId": endpoint.removeprefix("api."),
        "summary": doc.get("summary", endpoint.removeprefix("api.")),
        "parameters": path_parameters + list(doc.get("parameters", [])),
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": doc.get("schema", {"type": "object"})}}},
            "400": {"description": "Ogiltig parameter.", "content": {"application/json": {"schema": _ref("Error")}}},
        },
    }
    if doc.get("description"):
        operation["description"] = doc["description"]
    if path_parameters:
        operation["responses"]["404"] = {"description": "Finns inte eller är inte offentligt.",
                                         "content": {"application/json": {"schema": _ref("Error")}}}
    return operation


@bp.get("/openapi.json", endpoint="openapi")
def openapi():
    paths: dict[str, dict] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api.") or "GET" not in (rule.methods or ()):
            continue
        path, parameters = _path(rule)
        paths.setdefault(path.removeprefix(bp.url_prefix) or "/", {})["get"] = _operation(rule.endpoint, parameters)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Klimathubben API",
            "version": "1",
            "summary": "Öppna data om lokala klimatkontrakt: organisationer, kontrakt, åtaganden och delade inlägg.",
            "description": "Läsbart JSON-API utan inloggning. Listor svarar {items, total, page, per_page}; fel svarar "
                           "{status, error, message}. Samma urval som CSV: /posts.csv (UTF-8 med BOM, semikolon) "
                           "och Atom: /posts.atom.",
            "license": {"name": LICENSE["name"], "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": url_for("api.index", _external=True).rstrip("/")}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
        "externalDocs": {"description": "Licens", "url": LICENSE["url"]},
    }
