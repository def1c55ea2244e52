"""With JavaScript switched off the hub still navigates and its forms still submit."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_navigation_and_language_switch_work_without_javascript(nojs_page, live_server):
    page = nojs_page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    page.locator("main a[href*='/contracts/']:not([href$='/contracts/'])").first.click()
    expect(page).to_have_url(re.compile(r"/contracts/\d+$"))
    contract_url = page.url

    # A real form post and a 303 back to the same page, now in English.
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(contract_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("header").get_by_role("link", name="Log in", exact=True)).to_be_visible()

    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_login_form_submits_without_javascript(nojs_page, login):
    login(nojs_page)
    nojs_page.get_by_role("button", name="Logga ut").click()
    expect(nojs_page.locator("header").get_by_role("link", name="Logga in", exact=True)).to_be_visible()
