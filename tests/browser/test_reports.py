"""'Report an error or send a figure' in a real browser, in Urdu: the form opens from a chart, passes axe-core
while open, and what the reader types arrives in the deployment's queue file, and nothing else about them."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import AXE, PAGES, _serious, wait_until_rendered


def test_a_report_sent_from_an_urdu_chart_reaches_the_queue(page, app_url, report_queue):
    if not AXE.exists():
        pytest.skip("axe-core is missing (make axe-deps)")
    before = report_queue.read_text(encoding="utf-8").splitlines() if report_queue.exists() else []
    page.goto(f"{app_url}/?lang=ur")
    wait_until_rendered(page, PAGES[""])
    page.get_by_role("button", name="غلطی کی اطلاع دیں یا کوئی عدد بھیجیں").first.click()
    box = page.get_by_label("کیا غلط ہے، یا کیا شامل کیا جائے")
    box.wait_for()
    assert _serious(page, AXE.read_text(encoding="utf-8")) == []  # the open form, in Urdu, right to left
    box.fill("2024 کا عدد 905 ہونا چاہیے")
    page.get_by_label("عدد اور وہ کہاں شائع ہوا ہے (اختیاری)").fill("The Nation, 1 Jan 2025")
    page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
    page.get_by_text("شکریہ۔ آپ کی اطلاع منتظمین کے لیے محفوظ کر لی گئی ہے").wait_for(timeout=30_000)
    lines = report_queue.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before) + 1
    saved = json.loads(lines[-1])
    assert saved["message"] == "2024 کا عدد 905 ہونا چاہیے" and saved["figure"] == "The Nation, 1 Jan 2025"
    assert saved["lang"] == "ur" and "lang=ur" in saved["link"] and saved["link"].endswith("#" + saved["chart"])
    assert set(saved) == {"received", "chart", "dataset_version", "lang", "link", "message", "figure"}
