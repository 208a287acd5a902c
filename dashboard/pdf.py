"""Print an HTML document to PDF with headless Chromium (Debian's ``chromium`` package), offline.

The document is written to a private temporary folder and printed with Chromium's own print-to-PDF, with a
throw-away profile and every host name resolving to nothing, so printing cannot fetch anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing leaves the machine, whatever the document asks for
    "--virtual-time-budget=10000",  # let the inlined font load before the page is printed
]


class ChromiumMissing(RuntimeError):
    """Chromium is not installed where it is looked for."""


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is not None


def html_to_pdf(html: str, out_path: str | Path, timeout: float = 120) -> Path:
    """Write ``html`` as a PDF at ``out_path`` (A4, as the document's print CSS says) and return the path."""
    if not chromium_available():
        raise ChromiumMissing(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)")
    out = Path(out_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="briefing-") as work:
        page = Path(work) / "briefing.html"
        page.write_text(html, encoding="utf-8")
        target = Path(work) / "briefing.pdf"
        result = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={work}/profile", f"--print-to-pdf={target}", page.as_uri()],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if not target.exists() or target.stat().st_size == 0:
            detail = result.stderr.decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"Chromium did not write a PDF (exit {result.returncode}): {detail}")
        shutil.move(target, out)
    return out


def pdf_bytes(html: str) -> bytes:
    """The PDF of ``html`` as bytes (for a download button)."""
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as work:
        return html_to_pdf(html, Path(work) / "briefing.pdf").read_bytes()
