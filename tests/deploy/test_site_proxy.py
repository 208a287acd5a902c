"""The static site through nginx: versioned paths cached as immutable, ``latest/`` briefly; only the static embed
pages may be framed by other sites, by the configured one; staging folders are never served; a chart page draws
in Chromium under the Content-Security-Policy with nothing requested elsewhere."""

from __future__ import annotations

import pytest

from tests.deploy.conftest import csp_violations, http_get
from tests.site.conftest import install_site


@pytest.fixture(scope="module")
def site(stack, built_site):
    """The session's site of the shipped data (the release the stack serves) installed in the stack's folder."""
    result = install_site(built_site, stack.data_dir)
    (stack.data_dir / "site" / f".{result.version}.999999.tmp").mkdir(exist_ok=True)  # as a build being written
    return result


def test_versioned_pages_are_immutable_and_latest_is_cached_briefly(stack, site):
    status, headers, body = http_get(f"{stack.url}/site/{site.version}/en/ledger.html")
    assert status == 200 and b"<h1>" in body
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    status, headers, latest = http_get(f"{stack.url}/site/latest/en/ledger.html")
    assert status == 200 and latest == body
    assert headers["cache-control"] == "public, max-age=300"
    status, headers, _ = http_get(f"{stack.url}/site/latest/", {"Accept-Encoding": "gzip"})
    assert status == 200
    status, headers, script = http_get(
        f"{stack.url}/site/{site.version}/assets/plotly.min.js", {"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("content-encoding") == "gzip" and len(script) > 1_000_000
    compressed = site.folder / "assets" / "plotly.min.js.gz"  # the build's .gz, served as it is (gzip_static)
    assert int(headers["content-length"]) == compressed.stat().st_size
    assert headers["content-type"].startswith("application/javascript")
    for suffix, kind in (
        ("png", "image/png"),
        ("svg", "image/svg+xml"),
        ("csv", "text/csv"),
        ("json", "application/json"),
    ):
        status, headers, _ = http_get(f"{stack.url}/site/{site.version}/ur/ledger.{suffix}")
        assert status == 200 and headers["content-type"].startswith(kind), suffix
    status, headers, _ = http_get(f"{stack.url}/site/latest/feed.atom")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")


def test_only_static_embeds_may_be_framed_and_only_by_the_configured_site(stack, site):
    _, headers, _ = http_get(f"{stack.url}/site/{site.version}/en/ledger.embed.html")
    assert f"frame-ancestors {stack.embedding_site}" in headers["content-security-policy"]
    assert "x-frame-options" not in headers
    _, headers, _ = http_get(f"{stack.url}/site/latest/ur/ledger.embed.html")
    assert f"frame-ancestors {stack.embedding_site}" in headers["content-security-policy"]
    _, headers, _ = http_get(f"{stack.url}/site/{site.version}/en/ledger.html")
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_a_site_being_written_is_not_served(stack, site):
    assert http_get(f"{stack.url}/site/.{site.version}.999999.tmp/")[0] == 404
    assert http_get(f"{stack.url}/site/{site.version}/release.json")[0] == 200


@pytest.mark.browser
def test_a_chart_page_draws_through_the_proxy_with_no_csp_violation(stack, site, browser_context):
    page = browser_context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{stack.url}/site/latest/ur/compliance-rates.html")
    page.wait_for_selector("#plot-compliance-rates[data-drawn='true'] .main-svg", timeout=30_000)
    assert csp_violations(page) == []
    assert not errors, errors
    assert all(u.startswith(stack.url) for u in requests), requests
