"""Two releases, the second revising a figure and carrying a hostile label: the feed names the revision, the site
switches ``latest`` only when complete (a build killed half-way leaves the previous one served), a correction
published with a release is in the feed, and hostile text from data renders as text everywhere."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from dashboard.site import image
from dashboard.site.build import build
from dashboard.site.urls import LATEST
from dataset.location import current_database
from etl.build import run
from etl.provenance import rehash
from tests.site.conftest import copy_published, install_site

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_CORRECTIONS = ROOT / "data" / "reference" / "corrections.csv"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = 'X <script>window.__x=1</script><img src=x onerror=alert(1)> & "quoted"'
#: Every chart that shows the platform the second release names with ``HOSTILE`` (checked against the first
#: release's full site in the hostile-label test). The second release's site is built with these alone: they give
#: every kind of file (page, embed, CSV, JSON, SVG, PNG) in both languages, and the publishing steps under test
#: (staging folder, rename, ``latest``, feed) do not depend on how many charts a site has; every chart of a site is
#: tested on the session's site (test_site.py).
LABELLED = ("compliance-rates", "ledger", "meta-x-tiktok", "pta-block-rate", "pta-blocked-by-platform")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory, published_dir, built_site):
    """The session's release of the shipped data and its site (copied, not built again), then a second release
    built from a copy of the data with one figure revised, a hostile platform name and a new correction."""
    base = tmp_path_factory.mktemp("releases")
    data, out = base / "data", base / "published"
    shutil.copytree(ROOT / "data", data)
    copy_published(published_dir, out)
    first_site = install_site(built_site, out)
    first = current_database(out)
    assert first is not None and first.stem == f"dataset-{first_site.version}"
    incidents = data / "canonical" / "incidents.csv"
    text = incidents.read_text(encoding="utf-8")
    assert ",699,1034," in text
    incidents.write_text(text.replace(",699,1034,", ",700,1034,"), encoding="utf-8")  # PIPS 2025 revised
    rehash(incidents)
    platforms = data / "reference" / "platforms.csv"  # X's name, in English and in Urdu
    with platforms.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    (x,) = [row for row in rows if row["platform_id"] == "x"]
    assert x["name"] == x["name_ur"] == "X (Twitter)"
    x["name"] = x["name_ur"] = HOSTILE
    with platforms.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    rehash(platforms)
    corrections = data / "reference" / "corrections.csv"  # a correction first published with the second release
    with corrections.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "pips-2025-restated",
                "2026-11-30",
                "incidents",
                f"PIPS 2025 attacks 699 → 700 {HOSTILE}",
                "PIPS annual report restated the year",
                "PIPS 2025: حملے 699 کی جگہ 700",
                "PIPS کی سالانہ رپورٹ نے سال کے اعداد بدلے",
                "https://example.org/pips-2025",
                "",
            ]
        )
    if corrections.with_name("corrections.csv.provenance.json").exists():
        rehash(corrections)
    second = run(out, data_dir=data)
    assert second.dataset_version != first_site.version
    return out, first_site.version, second.dataset_version, first_site


def test_a_killed_build_leaves_latest_on_the_previous_release_then_a_complete_one_switches_it(two_releases):
    out, first, second, _ = two_releases
    site = out / "site"
    assert (site / LATEST).resolve().name == first
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(out)}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.site"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    try:
        # Killed while it writes its staging folder: every chart drawn, the first two charts' files written.
        while time.monotonic() < deadline:
            staging = list(site.glob(f".{second}.*.tmp/en/*.csv"))
            if len(staging) >= 2:
                break
            assert proc.poll() is None, "the build ended before it could be killed"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert staging, "the staging folder never appeared"
    assert (site / LATEST).resolve().name == first
    assert not (site / second).exists()
    assert json.loads((site / LATEST / "versions.json").read_text(encoding="utf-8"))["latest"] == first
    result = build(out, charts=LABELLED)
    assert result.built and result.version == second
    assert (site / LATEST).resolve().name == second
    assert not list(site.glob(".*.tmp"))


def _second_site(out: Path, second: str) -> None:
    """The second release's site, built here when the kill test has not built it (each test stands alone)."""
    if not (out / "site" / second).is_dir():
        assert build(out, charts=LABELLED).version == second


def test_the_feed_names_the_revised_figure_and_lists_both_releases(two_releases):
    out, first, second, _ = two_releases
    _second_site(out, second)
    feed = ET.parse(out / "site" / LATEST / "feed.atom").getroot()
    entries = {e.find(f"{ATOM}title").text: e for e in feed.findall(f"{ATOM}entry")}
    assert {f"Release {first}", f"Release {second}"} <= set(entries)
    revised = entries[f"Release {second}"].find(f"{ATOM}summary").text
    assert "incidents: 0 rows added, 0 removed, 1 revised" in revised
    assert "attacks: 699 → 700" in revised and "PIPS | terrorist_attacks | 2025-01-01" in revised
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    with REFERENCE_CORRECTIONS.open(encoding="utf-8", newline="") as handle:
        shipped = len(list(csv.DictReader(handle)))
    # the log is cumulative: each correction is one entry, under the release that first published it
    assert titles.count(f"Correction published with release {first}") == shipped
    assert titles.count(f"Correction published with release {second}") == 1
    with duckdb.connect(str(out / f"dataset-{second}.duckdb"), read_only=True) as con:
        firsts = dict(con.execute("SELECT correction_id, release_version FROM corrections").fetchall())
    assert firsts.pop("pips-2025-restated") == second and set(firsts.values()) == {first}
    correction = entries[f"Correction published with release {second}"]
    assert HOSTILE in correction.find(f"{ATOM}summary").text  # escaped in the XML, read back as the text it was
    assert correction.find(f"{ATOM}updated").text == "2026-11-30T00:00:00Z"
    assert correction.find(f"{ATOM}link").get("href") == "https://example.org/pips-2025"
    versions = json.loads((out / "site" / LATEST / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions["versions"]] == [second, first]
    pinned = ET.parse(out / "site" / first / "feed.atom").getroot()  # the first release's own feed is unchanged
    assert [e.find(f"{ATOM}title").text for e in pinned.findall(f"{ATOM}entry")] == [f"Release {first}"] + [
        f"Correction published with release {first}"
    ] * shipped


def test_a_hostile_label_renders_as_text_in_pages_images_and_data(two_releases):
    out, _, second, _ = two_releases
    _second_site(out, second)
    folder = out / "site" / second
    page = (folder / "en" / "compliance-rates.html").read_text(encoding="utf-8")
    assert "X &lt;script&gt;window.__x=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp;" in page
    assert "<script>window.__x" not in page and "<img src=x" not in page
    assert "\\u003cscript\\u003e" in page  # inside the figure's JSON too
    for lang in ("en", "ur"):
        svg = (folder / lang / "compliance-rates.svg").read_text(encoding="utf-8")
        ET.fromstring(svg)  # still well-formed: the label is text, not markup
        assert "<script" not in svg
    embed = (folder / "en" / "ledger.embed.html").read_text(encoding="utf-8")
    assert "<script>window.__x" not in embed
    # Every chart that shows the platform's name, in every file and language (the site holds just these charts).
    first_site = two_releases[3].folder
    showing = {p.stem for p in first_site.glob("*/*.csv") if "X (Twitter)" in p.read_text(encoding="utf-8-sig")}
    assert showing == set(LABELLED) == {p.stem for p in folder.glob("*/*.csv")}
    for lang in ("en", "ur"):
        for chart in LABELLED:
            page = (folder / lang / f"{chart}.html").read_text(encoding="utf-8")
            embed = (folder / lang / f"{chart}.embed.html").read_text(encoding="utf-8")
            assert "X &lt;script&gt;window.__x=1&lt;/script&gt;" in page, (chart, lang)  # the table
            for text in (page, embed):
                assert "X \\u003cscript\\u003ewindow.__x=1" in text, (chart, lang)  # the figure's JSON
                assert "<script>window.__x" not in text and "<img src=x" not in text, (chart, lang)
            svg = (folder / lang / f"{chart}.svg").read_text(encoding="utf-8")
            ET.fromstring(svg)
            assert "<script" not in svg and any(t.startswith("X <script>") for t in image.text_of(svg)), (chart, lang)
            assert Image.open(folder / lang / f"{chart}.png").format == "PNG"
            with (folder / lang / f"{chart}.csv").open(encoding="utf-8-sig", newline="") as handle:
                assert HOSTILE in {cell for row in csv.reader(handle) for cell in row}, (chart, lang)
            rows = json.loads((folder / lang / f"{chart}.json").read_text(encoding="utf-8"))["rows"]
            assert HOSTILE in {value for row in rows for value in row.values()}, (chart, lang)
