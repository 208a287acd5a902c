"""The static site of a release: every registered chart in both languages with its files, the same numbers as the
dashboard's queries, images that carry their source, labels from data escaped, nothing loaded from elsewhere."""

from __future__ import annotations

import base64
import io
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard import charts, db, i18n, queries, registry
from dashboard.registry import render
from dashboard.site import image
from dashboard.site.build import records
from dashboard.site.urls import LANGS, LATEST

SUFFIXES = ("html", "embed.html", "csv", "json", "svg", "png")


def test_every_registered_chart_has_every_file_in_both_languages(built_site):
    folder = built_site.folder
    assert built_site.charts == len(registry.CHARTS)
    for lang in LANGS:
        index = (folder / lang / "index.html").read_text(encoding="utf-8")
        for chart_id in registry.CHARTS:
            for suffix in SUFFIXES:
                path = folder / lang / f"{chart_id}.{suffix}"
                assert path.is_file() and path.stat().st_size > 200, path
            assert f'href="{chart_id}.html"' in index
    for name in ("index.html", "feed.atom", "sitemap.xml", "versions.json", "release.json", "assets/plotly.min.js"):
        assert (folder / name).is_file(), name
    latest = folder.parent / LATEST
    assert latest.is_symlink() and latest.resolve() == folder.resolve()


def test_pages_load_nothing_from_another_site_and_link_both_languages(built_site):
    for page in built_site.folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|img|link|iframe)\b[^>]*?\b(?:src|href)="([^"]*)"', text)
        # relative addresses only, and the empty icon (``data:,``: no request at all, not even for /favicon.ico)
        assert all(url == "data:," or not re.match(r"^[a-z]+:|^//", url) for url in loaded), (page, loaded)
        assert '<link rel="icon" href="data:,">' in text, page
    en = (built_site.folder / "en" / "ledger.html").read_text(encoding="utf-8")
    ur = (built_site.folder / "ur" / "ledger.html").read_text(encoding="utf-8")
    assert 'href="../ur/ledger.html"' in en and 'href="../en/ledger.html"' in ur
    assert '<html lang="ur" dir="rtl">' in ur and '<html lang="en" dir="ltr">' in en
    version = built_site.version
    assert f"dataset version {version}" in en and f"/{version}/en/ledger.embed.html" in en
    assert f"/{LATEST}/en/ledger.embed.html" in en  # the moving embed beside the pinned one
    assert "/responsiveness?lang=en#ledger" in en  # the same view in the interactive dashboard


def _decode(values):
    """A data array of plotly's JSON: a list, or a typed array (``bdata``)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def _page_figure(path) -> dict:
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="figure-[^"]+">(.*?)</script>', text, flags=re.DOTALL)
    assert found, path
    return json.loads(found.group(1))


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return (
        a == b
        or (a is None and isinstance(b, float) and np.isnan(b))
        or (b is None and isinstance(a, float) and np.isnan(a))
    )


@pytest.mark.parametrize("chart_id", list(registry.CHARTS))
def test_csv_json_and_plot_hold_the_dashboards_numbers(built_site, chart_id):
    chart = registry.CHARTS[chart_id]
    database = built_site.folder.parent.parent / (built_site.folder.parent.parent / "LATEST").read_text().strip()
    i18n.set_language("en")
    with db.reading(db.Dataset(str(database))):
        first, last = queries.year_bounds()
        figure, table = render(chart, chart.default_choice(first, last))
        spec = figure.spec()
    folder = built_site.folder / "en"
    assert json.loads((folder / f"{chart_id}.json").read_text(encoding="utf-8"))["rows"] == json.loads(
        json.dumps(records(table), default=str)
    )
    csv = pd.read_csv(folder / f"{chart_id}.csv", comment="#", encoding="utf-8-sig")
    assert list(csv.columns) == list(table.columns) and len(csv) == len(table)
    for column in table.select_dtypes("number").columns:
        assert np.allclose(csv[column].astype(float), table[column].astype(float), equal_nan=True), column
    plotted = _page_figure(folder / f"{chart_id}.html")["data"]
    drawn = charts.as_figure(spec).to_plotly_json()["data"] if spec["data"] else []
    assert len(plotted) == max(len(drawn), 1)
    for page_trace, own in zip(plotted, drawn, strict=False):
        for key in ("x", "y"):
            if key in own:
                mine = list(np.asarray(_decode(own[key])).tolist())
                theirs = _decode(page_trace[key])
                assert len(mine) == len(theirs) and all(_same(a, b) for a, b in zip(mine, theirs, strict=True)), key


def test_the_plotted_requests_are_the_querys_requests(built_site):
    """One chart read against the query directly: Google's requests per half-year."""
    figure = _page_figure(built_site.folder / "en" / "google-requests-items.html")
    bars = next(t for t in figure["data"] if t["type"] == "bar")
    table = queries.google_totals(["PK"], *queries.year_bounds())
    assert _decode(bars["y"]) == pytest.approx(table["requests"].astype(float).tolist(), nan_ok=True)


def test_images_carry_title_source_release_and_address(built_site):
    version = built_site.version
    for lang in LANGS:
        svg = (built_site.folder / lang / "incidents-national.svg").read_text(encoding="utf-8")
        ET.fromstring(svg)  # well-formed
        texts = " ".join(image.text_of(svg))
        assert version in texts and "PIPS" in texts
        assert f"/{version}/{lang}/incidents-national.html" in texts
    en = " ".join(image.text_of((built_site.folder / "en" / "incidents-national.svg").read_text(encoding="utf-8")))
    assert "Source:" in en and "Dataset version" in en
    png = Image.open(built_site.folder / "en" / "incidents-national.png")
    assert png.format == "PNG" and png.width >= 1000


def test_the_png_differs_when_the_release_differs():
    spec = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}
    one = image.png(image.chart_svg(spec, "T", "", image.Footer("Source: X", "Dataset version aaaaaa", "u")))
    two = image.png(image.chart_svg(spec, "T", "", image.Footer("Source: X", "Dataset version bbbbbb", "u")))
    same = image.png(image.chart_svg(spec, "T", "", image.Footer("Source: X", "Dataset version aaaaaa", "u")))
    assert one == same and one != two


def _ink(png: bytes) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return int((pixels < 128).sum())


def test_urdu_in_images_is_drawn_joined_with_the_shipped_font():
    """Drawn, not boxes: the word has ink; and shaped: its letters joined differ from the same letters kept apart
    (a zero-width non-joiner between them), which they would not if the text were not shaped."""

    def drawn(text: str) -> bytes:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80">'
            f'<text x="280" y="50" font-size="32" text-anchor="end" direction="rtl" font-family="{image.URDU}">'
            f"{text}</text></svg>"
        )
        return image.png(svg, zoom=1)

    joined, apart = drawn("پاکستان"), drawn("\u200c".join("پاکستان"))
    assert _ink(joined) > 200
    assert joined != apart


def test_the_feed_is_atom_and_the_sitemap_lists_every_page(built_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built_site.folder / "feed.atom").getroot()
    assert feed.tag == f"{atom}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{atom}{required}") is not None, required
    entries = feed.findall(f"{atom}entry")
    assert entries and all(e.find(f"{atom}id") is not None and e.find(f"{atom}updated") is not None for e in entries)
    assert built_site.version in entries[0].find(f"{atom}title").text
    sitemap = ET.parse(built_site.folder / "sitemap.xml").getroot()
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locations) == 2 * len(registry.CHARTS) + 3
    versions = json.loads((built_site.folder / "versions.json").read_text(encoding="utf-8"))
    assert versions["latest"] == built_site.version


def test_a_versioned_folder_is_never_rewritten(built_site):
    from dashboard.site.build import build

    stamp = (built_site.folder / "en" / "ledger.png").stat().st_mtime_ns
    again = build(built_site.folder.parent.parent)
    assert not again.built and (built_site.folder / "en" / "ledger.png").stat().st_mtime_ns == stamp


def test_a_site_of_named_charts_refuses_an_unknown_id_before_writing_anything(tmp_path):
    from dashboard.site.build import SiteBuildError, build

    with pytest.raises(SiteBuildError, match="no-such-chart"):
        build(tmp_path, charts=["ledger", "no-such-chart"])
    assert not list(tmp_path.iterdir())


def test_a_map_is_drawn_as_its_values_by_place():
    """A chart drawn as a map keeps its numbers in the picture: each place with its value, largest first."""
    spec = {
        "data": [{"type": "choroplethmap", "locations": ["PK-KP", "PK-BA"], "z": [10, 30], "text": ["KP", "Bal"]}],
        "layout": {},
    }
    svg = image.chart_svg(spec, "Map", "", image.Footer("Source: X", "Dataset version aaaaaa", "u"))
    texts = image.text_of(svg)
    assert texts.index("Bal") < texts.index("KP") and "30" in texts
    assert svg.count("<rect") >= 3  # background and one bar per place


def test_an_urdu_line_with_latin_names_is_drawn_run_by_run_in_reading_order():
    """Each run in one font and one element (resvg confuses glyphs when one element switches fonts between
    directions), the first run rightmost, each next one to its left, none overlapping."""
    line = image._text(900, 40, "PTA: بلاک کیے گئے URLs (مجموعی)", size=20, anchor="end", rtl=True)
    elements = re.findall(r'<text x="([\d.]+)"[^>]*font-family="([^"]+)"[^>]*>(.*?)</text>', line)
    texts = [t for _x, _f, t in elements]
    assert texts == ["PTA", ":", "بلاک کیے گئے", "URLs", "(مجموعی)"]
    for _x, family, text in elements:
        arabic = bool(re.search("[\u0600-\u06ff]", text))
        assert family == ("Noto Naskh Arabic" if arabic else "DejaVu Sans")
        assert not (arabic and re.search("[A-Za-z]", text))
    right_edges = [float(x) for x, _f, _t in elements]
    assert right_edges == sorted(right_edges, reverse=True) and right_edges[0] == 900
    widths = [a - b for a, b in zip(right_edges, right_edges[1:], strict=False)]
    assert all(w > 0 for w in widths)


def test_images_drawn_in_several_processes_are_the_ones_drawn_in_one(built_site, tmp_path):
    """``python -m dashboard.site`` rasterises on every core; the session's site was drawn in one process."""
    from dashboard.site.build import rasterise

    charts_ = ["ledger", "incidents-map"]
    pictures = [
        (tmp_path / f"{lang}-{chart}.png", (built_site.folder / lang / f"{chart}.svg").read_text(encoding="utf-8"))
        for lang in LANGS
        for chart in charts_
    ]
    rasterise(pictures, jobs=2)
    for lang in LANGS:
        for chart in charts_:
            drawn = (tmp_path / f"{lang}-{chart}.png").read_bytes()
            assert drawn[:8] == b"\x89PNG\r\n\x1a\n"
            assert drawn == (built_site.folder / lang / f"{chart}.png").read_bytes(), (lang, chart)


def test_the_release_front_page_speaks_both_languages(built_site):
    """The release's own front page (site/<version>/index.html) has every line in English and then Urdu."""
    page = (built_site.folder / "index.html").read_text(encoding="utf-8")
    urdu = re.findall(r'<span lang="ur" dir="rtl">([^<]+)</span>', page)
    for message in ("Every release (JSON)", "What changed, release by release (Atom feed)", "The whole release (zip)"):
        assert message in page
        assert i18n.gettext(message, "ur") in urdu and i18n.gettext(message, "ur") != message
    assert i18n.gettext("Dataset version {version}", "ur").format(version=built_site.version) in urdu
    assert '<p class="muted" lang="ur" dir="rtl">' in page  # the release and licence line too
