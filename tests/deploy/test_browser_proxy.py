"""Debian's Chromium through nginx: the dashboard works under the Content-Security-Policy, and only the embed
view can be framed, only by the configured site."""

from __future__ import annotations

import http.server
import threading
import time
from urllib.parse import urlsplit

import pytest

from deploy.render import AFFINITY_COOKIE
from tests.deploy.conftest import csp_violations, http_get, wait_for_charts

pytestmark = pytest.mark.browser

EMBEDDED_CHART = "google-requests-items"


def test_pages_render_their_charts_through_the_proxy_with_no_csp_violation(stack, browser_context):
    page = browser_context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    for path, charts in (("/requests", 8), ("/incidents", 4)):
        page.goto(stack.url + path)
        wait_for_charts(page, charts)
        page.wait_for_timeout(500)
        assert csp_violations(page) == [], path
    assert not [text for text in console if "Content Security Policy" in text], console


@pytest.fixture(scope="module")
def article_site(stack):
    """A news site's article framing the embed view and, for contrast, an ordinary dashboard page."""
    port = int(urlsplit(stack.embedding_site).port)
    article = (
        "<!doctype html><title>Article</title><h1>A news article</h1>"
        f'<iframe id="embed" src="{stack.url}/embed?chart={EMBEDDED_CHART}&embed=true" width="900" height="700">'
        f'</iframe><iframe id="page" src="{stack.url}/overview" width="900" height="300"></iframe>'
    ).encode()

    class Article(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(article)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Article)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield port
    server.shutdown()
    server.server_close()


def _frame(page, path: str):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame.parent_frame is not None and path in frame.url:
                return frame
        time.sleep(0.2)
    return None


def _drew_anything(frame) -> bool:
    try:
        return frame.locator('[data-testid="stApp"]').count() > 0
    except Exception:  # a blocked frame holds the browser's error page, or nothing at all
        return False


#: Where Chromium puts a frame whose response it refused to show (frame-ancestors, X-Frame-Options).
REFUSED = "chrome-error://"


def _refused_or_drawn(frames, timeout: float = 30) -> None:
    """Waits until each frame is either refused (it then holds the browser's error page, and never draws) or has
    drawn the app: whichever it is, it is settled, and the test then says which is right."""
    deadline = time.monotonic() + timeout
    while not all(f.url.startswith(REFUSED) or _drew_anything(f) for f in frames):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)


def test_the_configured_news_site_can_frame_the_embed_view_and_nothing_else(stack, browser_context, article_site):
    page = browser_context.new_page()
    page.goto(f"http://127.0.0.1:{article_site}/")
    embed = _frame(page, "/embed")
    assert embed is not None
    wait_for_charts(embed, 1)
    text = embed.locator("body").inner_text()
    assert "Requests and items Google received from Pakistan" in text
    assert "Sources:" in text and "dataset version" in text
    assert embed.locator('[data-testid="stSidebar"]').count() == 0
    assert csp_violations(embed) == []
    ordinary = [f for f in page.frames if f.parent_frame is not None and f is not embed]
    _refused_or_drawn(ordinary)
    assert ordinary and not any(_drew_anything(f) for f in ordinary), "frame-ancestors 'self' keeps other pages out"
    assert all(f.url.startswith(REFUSED) for f in ordinary), [f.url for f in ordinary]


def test_a_site_not_configured_cannot_frame_even_the_embed_view(stack, browser_context, article_site):
    page = browser_context.new_page()
    page.goto(f"http://localhost:{article_site}/")  # same server, another origin than the one allowed
    frames = [f for f in page.frames if f.parent_frame is not None]
    _refused_or_drawn(frames)
    assert len(frames) == 2 and not any(_drew_anything(f) for f in frames)
    assert all(f.url.startswith(REFUSED) for f in frames), [f.url for f in frames]


def test_a_download_is_found_whichever_replica_a_request_reaches(stack, browser_context):
    """The CSV behind a download button lives in the replica that drew it; nginx asks the others on a 404."""
    page = browser_context.new_page()
    page.goto(stack.replica_url(0) + "/requests?period=2010&period=2012")  # a view no other test opens: replica 0 only
    wait_for_charts(page, 8)
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").first.click()
    path = urlsplit(download.value.url).path
    assert path.startswith("/media/") and path.endswith(".csv")
    direct = http_get(stack.replica_url(0) + path)
    assert direct[0] == 200 and http_get(stack.replica_url(1) + path)[0] == 404
    for client in range(12):  # affinity keys that land on either replica first
        status, headers, body = http_get(stack.url + path, {"Cookie": f"{AFFINITY_COOKIE}=download-{client}"})
        assert status == 200 and body == direct[2]
        assert headers["cache-control"] == "private, max-age=3600"
