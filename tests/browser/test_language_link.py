"""The language stays in the address: an Urdu page keeps ``?lang=ur`` after it is drawn and after the reader
switches to it, so a copied address or a reload opens the page in Urdu again."""

from __future__ import annotations

from tests.browser.conftest import PAGES, wait_until_rendered, wait_until_run

URDU_TITLE = "ہٹانے کی درخواستیں"


def test_an_urdu_address_survives_drawing_reloading_and_switching(page, app_url):
    page.goto(f"{app_url}/requests?lang=ur&platforms=x")
    wait_until_rendered(page, PAGES["requests"])  # drawn, charts and all; the steps between only run the script
    assert "lang=ur" in page.url and "platforms=x" in page.url
    page.reload()
    wait_until_run(page)
    assert URDU_TITLE in page.locator("h1").first.inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("English", exact=True).click()
    page.wait_for_function("!location.search.includes('lang=')", timeout=60_000)
    wait_until_run(page)
    assert page.locator("h1").first.inner_text() == "Takedown requests"
    sidebar.get_by_text("اردو", exact=True).click()
    page.wait_for_function("location.search.includes('lang=ur')", timeout=60_000)
    wait_until_run(page)
    page.reload()
    wait_until_rendered(page, PAGES["requests"])
    assert URDU_TITLE in page.locator("h1").first.inner_text() and "platforms=x" in page.url
