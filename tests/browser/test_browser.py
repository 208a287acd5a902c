"""The dashboard in a real browser: every page draws, a CSV downloads through the button, links reopen views."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from tests.browser.conftest import MAPS, PAGES, wait_until_rendered, wait_until_run


@pytest.mark.parametrize("path", list(PAGES))
def test_page_draws_every_chart(visits, path):
    seen = visits(path, "en")  # the page's one visit in English (tests/browser/conftest.py)
    assert seen.chart_blocks == PAGES[path]
    assert seen.charts_drawn == PAGES[path]
    assert seen.app_error == 0
    assert seen.not_found == 0
    assert not seen.errors, seen.errors
    assert seen.outside == [], "no font, script, tile or icon may come from outside the app"


def test_map_draws_provinces_offline(visits):
    """The province map renders from the shipped boundaries with no tile or CDN request leaving the machine."""
    seen = visits("incidents", "en")  # the page's one visit in English (tests/browser/conftest.py)
    assert seen.maps_drawn == MAPS["incidents"]
    assert seen.outside == []


def test_csv_download_through_the_button_matches_the_database(page, app_url, published_db, tmp_path):
    page.goto(f"{app_url}/requests?period=2019&period=2025")
    wait_until_run(page)  # the button and its file are made by the run; the charts are drawn in test_page_draws_*
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download these figures (CSV)").first.click()
    download = download_info.value
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel opens it correctly"
    assert b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
    rows = list(csv.DictReader(io.StringIO(body)))
    assert download.suggested_filename.startswith("google-requests-items_")
    assert any("Google" in line for line in text.splitlines() if line.startswith("# Source"))
    copy = tmp_path / "copy.duckdb"  # a copy: this process may hold the file open with the app's settings
    copy.write_bytes(published_db.read_bytes())
    with duckdb.connect(str(copy), read_only=True) as con:
        expected = dict(
            con.execute(
                "SELECT strftime(period_end, '%Y-%m-%d'), sum(requests) FROM platform_reported_requests "
                "WHERE source_id = 'google_removals_summary' AND country_code = 'PK' GROUP BY ALL"
            ).fetchall()
        )
    downloaded = {r["period_end"][:10]: int(r["requests"]) for r in rows}
    assert downloaded == {k: v for k, v in expected.items() if "2019" <= k[:4] <= "2025"}


def test_shared_link_reopens_the_same_filters_after_reload(page, app_url):
    link = f"{app_url}/requests?period=2016&period=2020&platforms=Facebook&platforms=TikTok"
    page.goto(link)
    wait_until_run(page)  # the filters are drawn by the run; the charts are drawn in test_page_draws_every_chart
    for reloaded in (False, True):  # as opened from the link, then after a reload
        if reloaded:
            page.reload()
            wait_until_run(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert (
            sidebar.get_by_text("2016", exact=True).count() >= 1
            and sidebar.get_by_text("2020", exact=True).count() >= 1
        )
        platforms = sidebar.locator('[data-testid="stMultiSelect"]').first
        chips = platforms.locator(".react-aria-ComboBox [data-tag]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"
        )
        assert chips == ["Facebook", "TikTok"]
        assert "period=2016" in page.url and "platforms=Facebook" in page.url


def test_release_zip_downloads_through_the_button_and_its_checksums_hold(page, app_url):
    import hashlib
    import zipfile

    page.goto(f"{app_url}/data")
    wait_until_rendered(page, 0)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the whole release").click()
    download = download_info.value
    assert download.suggested_filename.startswith("dataset-") and download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as bundle:
        root = download.suggested_filename.removeprefix("dataset-").removesuffix(".zip")
        sums = bundle.read(f"{root}/SHA256SUMS").decode().splitlines()
        assert len(sums) >= 30
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(bundle.read(f"{root}/{name}")).hexdigest() == digest, name


def test_a_link_made_in_urdu_opens_the_same_filters_in_english(page, app_url):
    """Links carry ids: the filters chosen on an Urdu page stay chosen when the reader switches to English."""
    page.goto(f"{app_url}/requests?lang=ur&platforms=facebook&platforms=tiktok&categories=religious")
    wait_until_run(page)  # the filters are drawn by the run; the charts are drawn in test_page_draws_every_chart
    sidebar = page.locator('[data-testid="stSidebar"]')

    def chips(index: int) -> list[str]:
        return (
            sidebar.locator('[data-testid="stMultiSelect"]')
            .nth(index)
            .locator(".react-aria-ComboBox [data-tag]")
            .evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        )

    assert chips(0) == ["Facebook", "TikTok"]
    assert len(chips(1)) == 1 and chips(1) != ["Religious (glory of Islam / blasphemy)"]  # the Urdu name
    sidebar.get_by_text("English", exact=True).click()
    page.wait_for_function(
        "document.querySelector('h1') && document.querySelector('h1').innerText.includes('Takedown requests')",
        timeout=60_000,
    )
    wait_until_run(page)
    assert chips(0) == ["Facebook", "TikTok"]
    assert chips(1) == ["Religious (glory of Islam / blasphemy)"]
    assert "platforms=facebook" in page.url and "categories=religious" in page.url
