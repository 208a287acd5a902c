"""The printed brief: Chromium's print-to-PDF gives two to four A4 pages whose text layer holds the key figures.

Needs Debian's chromium and poppler-utils (pdfinfo, pdftotext, pdftoppm); skipped without them unless
REQUIRE_BROWSER=1 (as in CI). Page 1 of each language is saved to test-output/briefing/ for a reviewer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import briefing, i18n

pytestmark = pytest.mark.browser

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "briefing"
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # pdftotext marks right-to-left runs


@pytest.fixture(scope="module")
def tools():
    missing = [tool for tool in ("pdfinfo", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if not briefing.chromium_available():
        missing.insert(0, "chromium")
    if missing:
        message = f"{', '.join(missing)} missing (apt-get install chromium poppler-utils)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def pdfs(tools, briefs, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("briefing-pdf")
    return {lang: briefing.html_to_pdf(html, folder / f"briefing-{lang}.pdf") for lang, html in briefs.items()}


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def text_layer(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return BIDI_CONTROLS.sub("", text.stdout)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_brief_prints_on_two_to_four_a4_pages(pdfs, lang):
    pdf = pdfs[lang]
    pages = page_count(pdf)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"briefing-{lang}-pages.txt").write_text(f"{pages}\n", encoding="utf-8")
    assert 2 <= pages <= 4, f"{lang}: {pages} pages"
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", size).groups())
    assert (round(width), round(height)) == (595, 842), "A4"


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_key_figures_are_in_the_text_layer(pdfs, key_figures, lang):
    text = text_layer(pdfs[lang])
    for name, value in key_figures.items():
        assert i18n.num(value, lang=lang) in text, f"{name} = {value} not in the {lang} PDF's text"
    if lang == "ur":
        assert len(ARABIC_SCRIPT.findall(text)) > 500, "the Urdu text is in the PDF (font embedded, not boxes)"
        assert i18n.gettext("Key figures", "ur") in text
    else:
        assert "Key figures" in text and not ARABIC_SCRIPT.search(text)


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_page_one_renders_to_png_for_a_reviewer(pdfs, lang):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    stem = OUTPUT / f"briefing-{lang}-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdfs[lang]), str(stem)], check=True
    )
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000, "a page with content, not a blank sheet"


def test_the_command_line_writes_html_and_pdf(tools, published_dir, tmp_path):
    for name in ("brief.html", "brief.pdf"):
        out = tmp_path / name
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "dashboard.briefing",
                "--from",
                "2021",
                "--to",
                "2025",
                "--lang",
                "ur",
                "--out",
                str(out),
            ],
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "DASHBOARD_DATA_DIR": str(published_dir)},
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert out.exists()
    assert (tmp_path / "brief.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "brief.pdf").read_bytes()[:5] == b"%PDF-"
