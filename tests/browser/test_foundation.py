"""A visitor clicks through the hub in a real browser; every page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

CONTRACT_LINK = "main a[href*='/contracts/']:not([href$='/contracts/'])"
ORGANISATION_LINK = "main a[href*='/organisations/']:not([href$='/organisations/'])"


def test_home_to_contract_to_organisation_to_login(page, axe, live_server):
    page.goto("/")
    expect(page).to_have_title(re.compile("Klimathubben"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)

    page.locator(CONTRACT_LINK).first.click()
    expect(page).to_have_url(re.compile(r"/contracts/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # A contract page names its parties' numbered commitments (åtaganden).
    expect(page.locator("main")).to_contain_text("taganden")
    axe(page)

    page.locator(ORGANISATION_LINK).first.click()
    expect(page).to_have_url(re.compile(r"/organisations/[a-z0-9-]+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)

    page.locator("header").get_by_role("link", name="Logga in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login"))
    axe(page)
    page.get_by_label("E-post", exact=False).fill(live_server.user.email)
    page.get_by_label("Lösenord", exact=False).first.fill(live_server.user.password)
    page.locator("main form [type=submit]").first.click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    axe(page)


def test_wrong_password_is_refused_with_a_message_next_to_the_form(page, axe, live_server):
    page.goto("/login")
    page.locator("input[name=email]").fill(live_server.user.email)
    page.locator("input[name=password]").fill("fel lösenord")
    page.locator("main form [type=submit]").first.click()
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)
    expect(page.locator("input[name=email]")).to_have_value(live_server.user.email)
    axe(page)


def test_login_helper_and_logout(page, login):
    login(page)
    page.get_by_role("button", name="Logga ut").click()
    expect(page.locator("header").get_by_role("link", name="Logga in", exact=True)).to_be_visible()


def test_english_interface_in_the_browser(page, axe):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header").get_by_role("link", name="Log in", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
