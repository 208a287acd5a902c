"""Print an HTML document to PDF with headless Chromium (Debian's ``chromium`` package), offline.

The document is written to a private temporary folder and printed with Chromium's own print-to-PDF, with a
throw-away profile and every host name resolving to nothing, so printing cannot fetch anything.

One print at a time per process: each is a headless Chromium of about 370 MiB and a second or so of CPU, and
one client asking for many different briefs at once started six of them on a two-core server. A few more
requests may wait their turn (``PRINT_QUEUE``, at most ``WAIT_SECONDS``); beyond that, ``PrinterBusy`` at once,
which the page turns into "busy, try again in a minute".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
PRINTS_AT_ONCE = 1
PRINT_QUEUE = 3  # requests that may wait for the printer; more are told it is busy
WAIT_SECONDS = 20.0
FLAGS = [
    "--headless",
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


class PrinterBusy(RuntimeError):
    """Other documents are printing and the queue is full, or the wait for a turn ran out."""


_printer = threading.BoundedSemaphore(PRINTS_AT_ONCE)
_queue = threading.BoundedSemaphore(PRINTS_AT_ONCE + PRINT_QUEUE)  # printing or waiting


def flags() -> list[str]:
    """Chromium's sandbox needs an unprivileged user; as root it refuses to start unless it is switched off."""
    return [*FLAGS, "--no-sandbox"] if os.geteuid() == 0 else list(FLAGS)


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is not None


def html_to_pdf(html: str, out_path: str | Path, timeout: float = 120, wait: float = WAIT_SECONDS) -> Path:
    """Write ``html`` as a PDF at ``out_path`` (A4, as the document's print CSS says) and return the path.

    Waits up to ``wait`` seconds for the printer; ``PrinterBusy`` if the queue is full or the wait runs out.
    """
    if not chromium_available():
        raise ChromiumMissing(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)")
    if not _queue.acquire(blocking=False):
        raise PrinterBusy("the printer's queue is full")
    try:
        if not _printer.acquire(timeout=wait):
            raise PrinterBusy(f"no turn at the printer within {wait:g} s")
        try:
            return _print(html, out_path, timeout)
        finally:
            _printer.release()
    finally:
        _queue.release()


def _print(html: str, out_path: str | Path, timeout: float) -> Path:
    out = Path(out_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="briefing-") as work:
        page = Path(work) / "briefing.html"
        page.write_text(html, encoding="utf-8")
        target = Path(work) / "briefing.pdf"
        result = subprocess.run(
            [str(CHROMIUM), *flags(), f"--user-data-dir={work}/profile", f"--print-to-pdf={target}", page.as_uri()],
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
