"""The vendored htmx is the npm package htmx.org at the version package.json pins, byte for byte."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_vendored_htmx_is_the_pinned_npm_release_and_the_one_the_layout_loads():
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["htmx.org"]
    assert re.fullmatch(r"2\.\d+\.\d+", pinned), "htmx 2, an exact version (npm's latest is 4)"
    vendored = ROOT / "static" / "vendor" / f"htmx-{pinned}.min.js"
    assert vendored.exists()
    assert sorted(p.name for p in (ROOT / "static" / "vendor").glob("htmx-*.js")) == [vendored.name]
    assert f"vendor/htmx-{pinned}.min.js" in (ROOT / "templates" / "base.html").read_text()
    package = ROOT / "node_modules" / "htmx.org"
    if not package.exists():
        pytest.fail("node_modules/htmx.org is missing: run `npm ci` (make test does)")
    assert json.loads((package / "package.json").read_text())["version"] == pinned
    assert (package / "dist" / "htmx.min.js").read_bytes() == vendored.read_bytes()
