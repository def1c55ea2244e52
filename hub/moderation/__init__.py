"""Moderation: reports, the queue, decisions, the audit log and the balance panel."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from . import audit, routes  # noqa: E402,F401  (audit registers the append-only guard)
