"""A link inside an element with an htmx target must not inherit that target: with hx-boost on
the body, clicking it would swap the whole next page into the element (a post page below the
search box, the organisation list inside its own results). The forms that hold links hand down
neither their target nor their swap."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import search_helpers as sh

HANDED_DOWN = ("hx-target", "hx-swap", "hx-push-url")


class _Links(HTMLParser):
    """Boosted links and the htmx attributes they would inherit from their ancestors."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[dict[str, str | None]] = []
        self.inheriting: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href", "").startswith("/") and attributes.get("hx-boost") != "false":
            for name in HANDED_DOWN:
                for ancestor in reversed(self.stack):
                    if name in ancestor:
                        disinherited = (ancestor.get("hx-disinherit") or "").split()
                        if name not in disinherited and "*" not in disinherited:
                            self.inheriting.append((attributes["href"], f"{name}={ancestor[name]}"))
                        break
                    if "hx-boost" in ancestor and ancestor["hx-boost"] == "false":
                        break
        if tag not in self.VOID:
            self.stack.append(attributes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def _inheriting(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.inheriting


def test_the_guard_finds_a_link_that_inherits_a_target():
    page = '<body hx-boost="true"><form hx-target="#r"><a href="/x">x</a></form>'
    assert _inheriting(page) == [("/x", "hx-target=#r")]
    assert _inheriting(page.replace("<form ", '<form hx-disinherit="hx-target" ')) == []


@pytest.fixture
def pages(app, client, make_user, login_as):
    organisation = sh.org()
    for n in range(25):  # more than a page of hits, so there are page links
        sh.post(f"Cykelpendling {n}", "Cyklar till jobbet.", areas=[sh.area("mobilitet", "Mobilitet")])
    post = sh.post("Laddplatser vid bostadsrättsföreningar", "Laddinfrastruktur.")
    challenge = sh.post("Hur får vi fler att cykla i januari?", "Vintercykling.", kind="challenge", status="oppen",
                        organisation=sh.org("boras-energi", "Borås Energi", kind="foretag", municipality="Borås"))
    admin = make_user("admin@example.se", org=organisation, role="admin")
    login_as(admin)
    return ["/", "/posts/?q=cyklar", "/posts/?q=cyklar&page=2", "/posts/", f"/posts/{post.id}",
            f"/posts/{challenge.id}", "/focus-areas/mobilitet", "/examples/", "/organisations/?kind=kommun",
            "/moderation/", "/moderation/log?action=hide", f"/posts/{post.id}/report?next=/posts/{post.id}",
            "/notifications/", "/admin/users"]


def test_no_boosted_link_inherits_an_htmx_target(client, pages):
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert 'hx-boost="true"' in html
        found[path] = _inheriting(html)
    assert {path: links for path, links in found.items() if links} == {}
