"""One PDF print at a time per process, a short queue, and "busy" beyond it (dashboard/pdf.py)."""

from __future__ import annotations

import threading
import time

import pytest

from dashboard import pdf


def test_prints_run_one_at_a_time_and_the_queue_is_bounded(monkeypatch, tmp_path):
    printing, most, release = [0], [0], threading.Event()
    lock = threading.Lock()

    def slow_print(html, out_path, timeout):
        with lock:
            printing[0] += 1
            most[0] = max(most[0], printing[0])
        release.wait(10)
        time.sleep(0.02)
        with lock:
            printing[0] -= 1
        return out_path

    monkeypatch.setattr(pdf, "_print", slow_print)
    monkeypatch.setattr(pdf, "chromium_available", lambda: True)
    outcomes: list[str] = []

    def ask(i: int) -> None:
        try:
            pdf.html_to_pdf("<p>x</p>", tmp_path / f"{i}.pdf", wait=5)
            outcomes.append("printed")
        except pdf.PrinterBusy:
            outcomes.append("busy")

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    release.set()
    for t in threads:
        t.join(timeout=20)
    assert most[0] == pdf.PRINTS_AT_ONCE == 1
    assert outcomes.count("printed") == pdf.PRINTS_AT_ONCE + pdf.PRINT_QUEUE
    assert outcomes.count("busy") == 10 - pdf.PRINTS_AT_ONCE - pdf.PRINT_QUEUE


def test_a_wait_that_runs_out_is_busy_too(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "chromium_available", lambda: True)
    assert pdf._printer.acquire(timeout=1)
    try:
        with pytest.raises(pdf.PrinterBusy):
            pdf.html_to_pdf("<p>x</p>", tmp_path / "x.pdf", wait=0.1)
    finally:
        pdf._printer.release()


@pytest.mark.parametrize(("uid", "sandboxed"), [(0, False), (1000, True)])
def test_the_sandbox_is_switched_off_only_as_root(monkeypatch, uid, sandboxed):
    monkeypatch.setattr(pdf.os, "geteuid", lambda: uid)
    assert ("--no-sandbox" not in pdf.flags()) == sandboxed
