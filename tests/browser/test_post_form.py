"""A post form that does not save says so where the user looks: the error summary at the top
takes the focus after the boosted submit (htmx honours autofocus in swapped content), and each
error in it links to its field."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_failed_submit_focuses_the_error_summary_with_links_to_the_fields(page, login, axe, htmx_settled):
    login(page)
    page.goto("/posts/new?kind=solution")
    page.locator("#title").fill("")
    page.locator("#start_year").fill("tjugo")
    page.evaluate("() => { window.__formMarker = 'kvar'; }")
    page.locator("button[name=action][value=publish]").click()
    htmx_settled(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("() => window.__formMarker") == "kvar"  # swapped by htmx, not reloaded
    expect(summary.locator("a[href='#title']")).to_contain_text("Skriv en rubrik.")
    summary.locator("a[href='#start_year']").click()
    expect(page.locator("#start_year")).to_be_focused()
    axe(page)


def test_without_javascript_the_error_summary_has_the_focus_too(nojs_page, login):
    login(nojs_page)
    nojs_page.goto("/posts/new?kind=solution")
    nojs_page.locator("button[name=action][value=publish]").click()
    expect(nojs_page.locator("#error-summary")).to_be_focused()
    expect(nojs_page.locator("#error-summary a[href='#title']")).to_be_visible()
