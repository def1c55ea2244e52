"""Live search in a real browser: results and facet counts follow the typing without a reload,
the URL follows the search, and Back brings the previous results."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _kind_count(page, kind: str) -> str:
    return page.locator("label", has=page.locator(f"input[name=kind][value={kind}]")).locator(".count").inner_text()


def test_typing_updates_results_and_facets_and_back_restores(page, axe, htmx_settled):
    page.goto("/posts/")
    expect(page.locator("#q")).to_be_visible()
    everything = page.locator("#results .results-summary").inner_text()
    solutions_before = _kind_count(page, "solution")
    # A marker that a full page load would wipe out.
    page.evaluate("() => { window.__searchMarker = 'kvar'; }")
    # The live region is announced reliably only if the element stays and its text changes.
    page.evaluate("() => { document.getElementById('search-status').__kept = true; }")

    page.locator("#q").press_sequentially("återbruk", delay=30)
    expect(page).to_have_url(re.compile(r"/posts/\?q=%C3%A5terbruk$"))
    results = page.locator("#results")
    expect(results).to_contain_text("Återbruksgalleria vid återvinningscentralen")
    expect(results.locator("mark").first).to_be_visible()
    htmx_settled(page)
    assert page.locator("#results .results-summary").inner_text() != everything
    assert _kind_count(page, "solution") != solutions_before
    expect(page.locator("#search-status")).to_contain_text("träffar för återbruk")
    assert page.evaluate("() => document.getElementById('search-status').__kept === true")
    assert page.evaluate("() => window.__searchMarker") == "kvar"
    axe(page, "#search-results")

    page.locator("#q").fill("cyklar")
    expect(page).to_have_url(re.compile(r"/posts/\?q=cyklar$"))
    expect(results).to_contain_text("Säkra cykelstråk till de stora arbetsplatsområdena")
    expect(results).not_to_contain_text("Återbruksgalleria vid återvinningscentralen")
    htmx_settled(page)

    # Ticking a facet narrows the results and keeps the words.
    page.locator("input[name=kind][value=solution]").check()
    expect(page).to_have_url(re.compile(r"/posts/\?q=cyklar&kind=solution$"))
    htmx_settled(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=cyklar$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=%C3%A5terbruk$"))
    expect(page.locator("#results")).to_contain_text("Återbruksgalleria vid återvinningscentralen")
    expect(page.locator("#q")).to_have_value("återbruk")
    axe(page)


def test_search_without_javascript_is_a_plain_form(nojs_page):
    nojs_page.goto("/posts/")
    nojs_page.locator("#q").fill("aterbruk")
    nojs_page.locator("#search-form button[type=submit]").first.click()
    expect(nojs_page).to_have_url(re.compile(r"/posts/\?q=aterbruk"))
    expect(nojs_page.locator("#results")).to_contain_text("Återbruksgalleria vid återvinningscentralen")
    nojs_page.locator("input[name=kind][value=lesson]").check()
    nojs_page.locator("#search-facets button[type=submit]").click()
    expect(nojs_page).to_have_url(re.compile(r"kind=lesson"))
    expect(nojs_page.locator("#results")).to_contain_text("Inlämningen avgör vad butikerna kan sälja")
    expect(nojs_page.locator("#results")).not_to_contain_text("Återbruksgalleria vid återvinningscentralen")


def test_a_hit_and_a_page_number_open_whole_pages_after_live_search(page, htmx_settled):
    """The results sit inside the search form; its htmx target must not be handed down to their
    links, or a post page would be swapped in below the search box."""
    page.goto("/posts/")
    page.locator("#q").press_sequentially("återbruk", delay=20)
    expect(page).to_have_url(re.compile(r"/posts/\?q=%C3%A5terbruk$"))
    htmx_settled(page)
    page.locator("#q").fill("")  # live search again: every post, over several pages
    expect(page).to_have_url(re.compile(r"/posts/$"))
    htmx_settled(page)

    page.locator("nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/posts/\?page=2$"))
    htmx_settled(page)
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("#search-form")).to_have_count(1)

    hit = page.locator("#results .card h2 a").first
    title = hit.inner_text()
    hit.click()
    expect(page).to_have_url(re.compile(r"/posts/\d+$"))
    htmx_settled(page)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("#search-form")).to_have_count(0)
