"""The Briefing pack page in a real browser: the HTML button gives the brief, the PDF is printed on the click."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from dashboard import i18n
from tests.briefing.conftest import PERIOD, read_key_figures

from .conftest import wait_until_rendered


def test_the_page_serves_both_files_through_its_buttons(page, app_url, published_db):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo missing (apt-get install poppler-utils)")
    figures = read_key_figures(published_db, *PERIOD)
    page.goto(f"{app_url}/briefing?period={PERIOD[0]}&period={PERIOD[1]}")
    wait_until_rendered(page, 0)
    with page.expect_download() as html_download:
        page.get_by_role("button", name="Download the brief (HTML)").click()
    assert html_download.value.suggested_filename.startswith(f"briefing_{PERIOD[0]}-{PERIOD[1]}_en_")
    html = html_download.value.path().read_text(encoding="utf-8")
    assert i18n.num(figures["pta_latest_blocked"], lang="en") in html
    with page.expect_download(timeout=120_000) as pdf_download:
        page.get_by_role("button", name="Download the brief (PDF)").click()
    pdf = pdf_download.value.path()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert 2 <= int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1)) <= 4
