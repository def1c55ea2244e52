"""Browser tests: Playwright (sync API) driving Debian's Chromium against a live server.

Fixtures for every browser test (all tests in this folder are marked ``browser`` and run on one
pytest-xdist worker, so there is one live server and one Chromium per test run):

``live_server`` (session)
    The app served by werkzeug in a thread on a random free port of 127.0.0.1, on a throw-away
    SQLite database that is migrated and loaded with ``seed-demo``. Attributes:

    - ``url``: base URL without a trailing slash, e.g. ``http://127.0.0.1:43127``
    - ``app``: the Flask app (use ``with live_server.app.app_context():`` for direct DB work)
    - ``user``: a demo member created here (``.email``, ``.password``, ``.org_slug``)
    - ``create_user(email, org_slug=None, role="member", password=..., **fields)``: another user
      (returns a ``DemoUser``); ``org_slug`` defaults to the demo user's organisation

``page``
    A fresh browser context and page, ``base_url`` set to the live server (so
    ``page.goto("/contracts/")`` works). At teardown the test fails if any request went to
    another origin, any response was a 5xx, or the console showed an error (a CSP violation
    shows up there). The page's ``seen`` attribute holds those records.

``nojs_page``
    The same, with JavaScript switched off: proves that a page works without htmx.

``axe``
    ``axe(page, selector=None)`` runs axe-core (``node_modules/axe-core``, installed by ``npm ci``)
    on the page, or only inside ``selector`` after an htmx swap, and fails on any serious or
    critical violation. The script is served from the live server's own origin via a route,
    so the Content-Security-Policy stays on.

``login``
    ``login(page, user=None)`` logs in through the real /login form (the demo member by
    default) and returns the user.

``htmx_settled``
    ``htmx_settled(page)`` waits until htmx has no request, swap or settle in flight.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# A path no route of the hub uses; requests to it are answered by Playwright, not the app.
AXE_PATH = "/__test__/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
SUBRESOURCES = {"stylesheet", "script", "image", "font"}
DEMO_PASSWORD = "webbläsartest-lösen-42"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            # One worker takes them all (make test runs `--dist loadgroup`): one server, one browser.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Keep a picture of what the browser showed when a test failed (test-results/ is git-ignored).
    if report.when == "call" and report.failed:
        for name in ("page", "nojs_page"):
            page = item.funcargs.get(name) if hasattr(item, "funcargs") else None
            if page is not None and not page.is_closed():
                out = ROOT / "test-results" / f"{item.name}-{name}.png"
                out.parent.mkdir(exist_ok=True)
                try:
                    page.screenshot(path=str(out), full_page=True)
                except Exception:  # a screenshot must never hide the real failure
                    pass
    return report


@dataclass
class DemoUser:
    email: str
    password: str
    org_slug: str


@dataclass
class LiveServer:
    url: str
    app: object
    user: DemoUser | None = None
    _server: object = field(default=None, repr=False)

    def create_user(self, email: str, org_slug: str | None = None, role: str = "member",
                    password: str = DEMO_PASSWORD, **fields) -> DemoUser:
        from hub.extensions import db
        from hub.models import Organisation, User

        with self.app.app_context():
            if org_slug is None and self.user:
                org_slug = self.user.org_slug
            query = sa.select(Organisation).order_by(Organisation.id)
            org = db.session.scalars(query.filter_by(slug=org_slug) if org_slug else query).first()
            assert org is not None, f"no organisation {org_slug!r} in the demo data"
            user = User(email=email.lower(), name=fields.pop("name", "Webbläsartestare"), role=role,
                        organisation=org, **fields)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            return DemoUser(email=user.email, password=password, org_slug=org.slug)


def _buffered(app):
    """Read each response whole and close it before the server writes a byte.

    werkzeug's development server closes a response only after draining the socket; when
    Chromium resets a connection it has given up on (a favicon while the page navigates on),
    that drain raises first and a static file is left open, a ResourceWarning in a later test.
    """

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            if hasattr(response, "close"):
                response.close()
        return [body]

    return wsgi


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade

    from hub import create_app

    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'hub.sqlite3'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 15}},
            "HUB_SEARCH_BACKEND": "whoosh",
            "HUB_INDEX_DIR": str(instance / "index"),
            "RATELIMIT_STORAGE_URI": "memory://",
            # Every test logs in from 127.0.0.1; the limits have their own tests.
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
    seeded = app.test_cli_runner().invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output

    # port 0: the system picks a free one
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, _server=server)
    live.user = live.create_user("webblasare@example.se", name="Webbläsartestare")
    yield live
    server.shutdown()
    thread.join(timeout=5)
    from hub.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _playwright():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _serve_axe(route):
    route.fulfill(path=str(AXE_JS), content_type="application/javascript")


def _open_page(browser, live_server, **context_options):
    origin = live_server.url
    context = browser.new_context(base_url=origin, locale="sv-SE", **context_options)
    context.set_default_timeout(10_000)
    if AXE_JS.exists():
        context.route(origin + AXE_PATH, _serve_axe)
    page = context.new_page()
    page.seen = {"foreign": [], "server_errors": [], "broken_resources": [], "console_errors": []}

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != origin:
            page.seen["foreign"].append(request.url)

    def on_response(response):
        if response.status >= 500:
            page.seen["server_errors"].append(f"{response.status} {response.url}")
        elif response.status >= 400 and response.request.resource_type in SUBRESOURCES:
            page.seen["broken_resources"].append(f"{response.status} {response.url}")

    def on_console(message):
        # Chromium logs every 4xx/5xx as "Failed to load resource"; the responses are checked above.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.seen["console_errors"].append(message.text)

    context.on("request", on_request)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page.seen["console_errors"].append(str(error)))
    return context, page


def _check_seen(page) -> None:
    seen = page.seen
    assert not seen["foreign"], f"requests left the live server's origin: {seen['foreign']}"
    assert not seen["server_errors"], f"server errors: {seen['server_errors']}"
    assert not seen["broken_resources"], f"missing styles, scripts or images: {seen['broken_resources']}"
    assert not seen["console_errors"], f"console errors (CSP violations show here): {seen['console_errors']}"


@pytest.fixture
def page(browser, live_server):
    context, page = _open_page(browser, live_server)
    yield page
    try:
        _check_seen(page)
    finally:
        context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    context, page = _open_page(browser, live_server, java_script_enabled=False)
    yield page
    try:
        _check_seen(page)
    finally:
        context.close()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}  {node['html'][:160]}")
            lines.extend(f"      {line.strip()}" for line in node.get("failureSummary", "").splitlines()[:3])
    return "\n".join(lines)


@pytest.fixture
def axe(live_server):
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run `npm ci` (make test does)")

    def check(page, selector: str | None = None) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=live_server.url + AXE_PATH)
        page.wait_for_function("() => typeof window.axe !== 'undefined'")
        results = page.evaluate(
            """async (selector) => {
                const context = selector ? document.querySelector(selector) : document;
                if (!context) throw new Error("axe: nothing matches " + selector);
                return await axe.run(context, {resultTypes: ["violations"]});
            }""",
            selector,
        )
        serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
        where = f"{page.url}" + (f" ({selector})" if selector else "")
        assert not serious, f"axe found serious or critical problems on {where}:\n" + format_violations(serious)
        return results["violations"]

    return check


@pytest.fixture
def login(live_server):
    def log_in(page, user: DemoUser | None = None) -> DemoUser:
        user = user or live_server.user
        page.goto("/login")
        page.locator("input[name=email]").fill(user.email)
        page.locator("input[name=password]").fill(user.password)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_load_state()
        from playwright.sync_api import expect

        expect(page.locator("form[action$='/logout']")).to_be_attached()
        return user

    return log_in


@pytest.fixture
def htmx_settled():
    def wait(page, timeout: float = 10_000) -> None:
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')", timeout=timeout
        )

    return wait
