"""Build the static site of one release: every registered chart, in every language, at stable addresses.

Layout of ``<published>/site/<version>/``::

    index.html                      the release in both languages, with its files
    en/index.html, ur/index.html    every chart, by page
    <lang>/<chart>.html             the chart page: plot (plotly.js served from here), table, sources, citation
    <lang>/<chart>.embed.html       a minimal page for an iframe
    <lang>/<chart>.csv .json .svg .png
    assets/                         plotly.min.js, the page script and style, the Urdu font
    release.json                    what this release is and what changed (the feed is made from these)
    versions.json  feed.atom  sitemap.xml

The folder is written under a hidden staging name and renamed into place when every file is there; then the
``latest`` link is switched with one rename. A build that fails or is killed leaves neither a partial folder
under a version's name nor a ``latest`` that points at one.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import plotly
import plotly.io

from dashboard import charts, db, i18n, queries, registry, summaries
from dashboard.i18n import N_, _
from dashboard.site import feed, image, pages
from dashboard.site.urls import LANGS, LATEST, SITE_DIR, chart_file, checked_id, checked_version, site_url
from dataset.location import current_database
from dataset.process import alive
from dataset.safe_csv import to_csv_bytes

ASSETS = Path(__file__).resolve().parent / "assets"
FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "NotoNaskhArabic-Regular.ttf"
LICENCE = N_("Code MIT; curation CC BY 4.0; source figures keep their publishers' terms (listed with each source).")
PAGE_NAMES = {"overview": N_("Overview"), **registry.PAGE_TITLES}


class SiteBuildError(RuntimeError):
    """The site could not be built; nothing was published."""


@dataclass
class Drawn:
    """One chart drawn in one language: everything its files are made from."""

    chart: registry.ChartDef
    lang: str
    title: str
    subtitle: str
    caption: str | None
    words: str | None
    table: pd.DataFrame
    spec: dict
    sources: list[dict]
    gaps: pd.DataFrame | None


def sources_of(table: pd.DataFrame, catalogue: pd.DataFrame) -> list[dict]:
    """The cited documents behind a table: each source id with its publisher, title, licence and the document
    addresses and citation grades its rows give."""
    id_columns = [c for c in table.columns if c.endswith("source_id")]
    found: dict[str, dict] = {}
    for column in id_columns:
        prefix = column.removesuffix("source_id")
        url_column, grade_column = f"{prefix}citation_url", f"{prefix}citation_grade"
        for _i, row in table.iterrows():
            source_id = row[column]
            if source_id is None or pd.isna(source_id):
                continue
            entry = found.setdefault(str(source_id), {"source_id": str(source_id), "documents": [], "grades": []})
            url = row.get(url_column)
            for one in str(url).split(" ") if isinstance(url, str) else []:
                if one and one not in entry["documents"]:
                    entry["documents"].append(one)
            grade = row.get(grade_column) if grade_column in table else None
            if isinstance(grade, str) and grade not in entry["grades"]:
                entry["grades"].append(grade)
    listed = catalogue.set_index("source_id")
    for source_id, entry in found.items():
        if source_id in listed.index:
            row = listed.loc[source_id]
            entry |= {k: _plain(row[k]) for k in ("publisher", "title", "url", "licence", "cite_as") if k in row}
    return sorted(found.values(), key=lambda e: e["source_id"])


def _plain(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def records(table: pd.DataFrame) -> list[dict]:
    """The table's rows as JSON values (dates as ISO text, missing as null)."""
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def draw(chart: registry.ChartDef, lang: str, first: int, last: int, catalogue: pd.DataFrame) -> Drawn:
    i18n.set_language(lang)
    choice = chart.default_choice(first, last)
    figure, table = registry.render(chart, choice)
    spec = charts.validated(figure.spec())
    subtitle = str((spec["layout"].get("title") or {}).get("text") or "")
    words = summaries.describe(table, chart.summary(choice)) if chart.summary else None
    return Drawn(
        chart,
        lang,
        chart.heading(choice),
        subtitle,
        chart.caption_text(),
        words,
        table,
        spec,
        sources_of(table, catalogue),
        chart.gaps(choice) if chart.gaps else None,
    )


def csv_comments(drawn: Drawn, info: dict) -> list[str]:
    """The comment lines of a chart's CSV, as the dashboard's download writes them."""
    publishers = sorted({s["publisher"] for s in drawn.sources if s.get("publisher")})
    licences = sorted({s["licence"] for s in drawn.sources if s.get("licence")})
    synthetic = "synthetic" in drawn.table and bool(drawn.table["synthetic"].fillna(False).astype(bool).any())
    lines = [_("ILLUSTRATIVE (SYNTHETIC) DATA: generated for demonstration, not real figures")] if synthetic else []
    return [
        *lines,
        drawn.title,
        _("Source: {publishers}").format(publishers="; ".join(publishers) or _("see source columns")),
        _("Licence / terms: {licences}").format(licences="; ".join(licences) or _("see the sources table")),
        _("Dataset version {version}, built {built} UTC").format(
            version=info["dataset_version"], built=f"{info['built_at']:%Y-%m-%d %H:%M}"
        ),
    ]


def chart_json(drawn: Drawn, info: dict, address: str) -> dict:
    """The numbers plus what a reader needs to use them: title, unit, definition, sources, release, licence."""
    layout = drawn.spec["layout"]
    unit = (layout.get("yaxis") or {}).get("title") or (layout.get("xaxis") or {}).get("title")
    return {
        "chart": drawn.chart.id,
        "language": drawn.lang,
        "title": drawn.title,
        "subtitle": drawn.subtitle,
        "unit": unit if isinstance(unit, str) else (unit or {}).get("text"),
        "value_column": drawn.chart.summary(drawn.chart.default_choice(2000, 2000)).value
        if drawn.chart.summary
        else None,
        "definition": drawn.caption,
        "in_words": drawn.words,
        "sources": drawn.sources,
        "release": {"version": info["dataset_version"], "built_at": f"{info['built_at']:%Y-%m-%dT%H:%M:%SZ}"},
        "licence": _(LICENCE),
        "url": address,
        "columns": [{"name": c, "type": str(t)} for c, t in drawn.table.dtypes.items()],
        "rows": records(drawn.table),
    }


def plot_json(drawn: Drawn) -> str:
    """The figure for plotly.js, safe inside a ``<script type="application/json">`` element."""
    boundaries = queries.province_geojson if any(t.get("geojson") for t in drawn.spec["data"]) else None
    text = plotly.io.to_json(charts.as_figure(drawn.spec, boundaries), validate=False, engine="json")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_chart(
    folder: Path, drawn: Drawn, info: dict, others: dict[str, str], pictures: list[tuple[Path, str]]
) -> list[str]:
    """Every file of one chart in one language but its PNG, whose path and SVG are added to ``pictures`` (they
    are rasterised together, see ``rasterise``); returns the page paths (for the sitemap)."""
    version = info["dataset_version"]
    base = f"{site_url()}/{version}"
    chart_id = checked_id(drawn.chart.id)
    page_path = chart_file(chart_id, drawn.lang, "html")
    (folder / drawn.lang).mkdir(exist_ok=True)
    (folder / chart_file(chart_id, drawn.lang, "csv")).write_bytes(to_csv_bytes(drawn.table, csv_comments(drawn, info)))
    (folder / chart_file(chart_id, drawn.lang, "json")).write_text(
        json.dumps(chart_json(drawn, info, f"{base}/{page_path}"), ensure_ascii=False, indent=1, default=str) + "\n",
        encoding="utf-8",
    )
    publishers = "; ".join(sorted({s["publisher"] for s in drawn.sources if s.get("publisher")}))
    footer = image.Footer(
        _("Source: {publishers}").format(publishers=publishers or _("see the table")),
        _("Dataset version {version}, built {built} UTC").format(version=version, built=i18n.day(info["built_at"])),
        f"{base}/{page_path}",
    )
    svg = image.chart_svg(drawn.spec, drawn.title, drawn.subtitle, footer, rtl=i18n.is_rtl(drawn.lang))
    (folder / chart_file(chart_id, drawn.lang, "svg")).write_text(svg, encoding="utf-8")
    pictures.append((folder / chart_file(chart_id, drawn.lang, "png"), svg))
    figure = plot_json(drawn)
    (folder / page_path).write_text(pages.chart_page(drawn, info, figure, others), encoding="utf-8")
    (folder / chart_file(chart_id, drawn.lang, "embed.html")).write_text(
        pages.embed_page(drawn, info, figure), encoding="utf-8"
    )
    return [page_path]


def _end_with(parent: int) -> None:
    """In a rasterising process: exit as soon as ``parent`` (the build) is gone, whatever killed it."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-the-build", daemon=True).start()


def rasterise(pictures: list[tuple[Path, str]], jobs: int = 1) -> None:
    """Write each SVG's PNG. Rasterising is most of a build's time and each image is independent, so with
    ``jobs`` > 1 they are drawn in that many processes (resvg holds Python's lock while it draws, so threads
    would not help); the pictures are the same either way."""
    jobs = max(1, min(jobs, len(pictures)))
    if jobs == 1:
        for path, svg in pictures:
            path.write_bytes(image.png(svg))
        return
    # A fresh interpreter per worker (the builder's process holds an open dataset and maybe threads), which ends
    # with the build: a build killed while they draw leaves nothing running.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=spawn, initializer=_end_with, initargs=(os.getpid(),)) as pool:
        drawn = pool.map(image.png, [svg for _path, svg in pictures], chunksize=max(1, len(pictures) // (4 * jobs)))
        for (path, _svg), png in zip(pictures, drawn, strict=True):
            path.write_bytes(png)


def _copy_assets(folder: Path) -> None:
    assets = folder / "assets"
    assets.mkdir()
    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", assets / "plotly.min.js")
    shutil.copyfile(FONT, assets / FONT.name)
    for path in ASSETS.iterdir():
        shutil.copyfile(path, assets / path.name)


COMPRESSED = {".html", ".js", ".css", ".json", ".csv", ".svg", ".atom", ".xml", ".ttf"}


def precompress(folder: Path) -> None:
    """A ``.gz`` beside every text file, for nginx's ``gzip_static`` (and any CDN that takes them): compressed
    once here rather than on every request (plotly.js alone took a tenth of a second of CPU to compress)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSED:
            with path.open("rb") as source, gzip.GzipFile(path.with_name(path.name + ".gz"), "wb", 9, mtime=0) as out:
                shutil.copyfileobj(source, out)


def switch_latest(site: Path, version: str) -> None:
    """Point ``site/latest`` at ``version`` with one rename (readers see the old or the new, never neither)."""
    temporary = site / f".{LATEST}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(checked_version(version), target_is_directory=True)
    os.replace(temporary, site / LATEST)


def _remove_abandoned(site: Path) -> None:
    """Staging folders and link names left by builds that were killed (their process is gone); never shown."""
    for path in site.glob(".*"):
        pid = path.name.removesuffix(".tmp").rsplit(".", 1)[-1]
        if pid.isdigit() and not alive(int(pid)):
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)


@dataclass
class Result:
    version: str
    folder: Path
    seconds: float
    charts: int
    files: int
    bytes: int
    built: bool  # False when the version's site already existed (a versioned folder is never rewritten)


def build(
    published: Path, *, dataset_path: Path | None = None, jobs: int = 1, charts: Collection[str] | None = None
) -> Result:
    """Write the site of the dataset ``LATEST`` names (or ``dataset_path``) and switch ``latest`` to it; the
    images are rasterised in ``jobs`` processes (``python -m dashboard.site`` uses every core).

    ``charts`` limits the site to those registry ids, for tests of the publishing steps that need only the charts
    they read; by default (and always in ``python -m dashboard.site``) every chart is written. A version's folder
    is never rewritten, so a release's published site is always built with every chart."""
    started = time.perf_counter()
    selected = _selected(charts)
    path = dataset_path or current_database(published)
    if path is None:
        raise SiteBuildError(f"No dataset has been published in {published}: run `python -m etl build` first.")
    site = published / SITE_DIR
    site.mkdir(parents=True, exist_ok=True)
    previous_lang = i18n.current()
    with db.reading(db.Remembered(str(path))):
        info = queries.build_info()
        version = checked_version(info["dataset_version"])
        final = site / version
        if final.is_dir():
            switch_latest(site, version)
            return _result(version, final, started, built=False)
        _remove_abandoned(site)
        staging = site / f".{version}.{os.getpid()}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            page_paths = _write(staging, published, info, jobs, selected)
            release = feed.release_record(published, info, _corrections())
            feed.write_release_files(staging, site, release, page_paths)
            precompress(staging)
            os.replace(staging, final)  # complete: now visible under its version's name
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            i18n.set_language(previous_lang)
    switch_latest(site, version)
    return _result(version, final, started, built=True)


def _result(version: str, folder: Path, started: float, built: bool) -> Result:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return Result(
        version,
        folder,
        time.perf_counter() - started,
        sum(1 for p in files if p.suffix == ".html" and p.parent.name == "en" and p.name != "index.html")
        - sum(1 for p in files if p.name.endswith(".embed.html") and p.parent.name == "en"),
        len(files),
        sum(p.stat().st_size for p in files),
        built,
    )


def _corrections() -> pd.DataFrame | None:
    """The release's corrections log, when the release has one (older releases do not)."""
    if "corrections" not in set(db.run("table_names")["table_name"]):
        return None
    return db.run("corrections")


def _selected(charts: Collection[str] | None) -> list[registry.ChartDef]:
    """The registry's charts, in its order; only those named in ``charts`` when given (an unknown id is refused)."""
    if charts is None:
        return list(registry.CHARTS.values())
    named = set(charts)
    unknown = sorted(named - set(registry.CHARTS))
    if unknown:
        raise SiteBuildError(f"No chart by these ids: {', '.join(unknown)}")
    return [chart for chart in registry.CHARTS.values() if chart.id in named]


def _write(folder: Path, published: Path, info: dict, jobs: int, selected: list[registry.ChartDef]) -> list[str]:
    _copy_assets(folder)
    first, last = queries.year_bounds()
    page_paths: list[str] = []
    pictures: list[tuple[Path, str]] = []
    drawn_all: dict[str, list[Drawn]] = {}
    for lang in LANGS:
        i18n.set_language(lang)
        catalogue = queries.sources()
        drawn_all[lang] = [draw(chart, lang, first, last, catalogue) for chart in selected]
    for lang in LANGS:
        i18n.set_language(lang)
        for drawn in drawn_all[lang]:
            others = {other: f"../{chart_file(drawn.chart.id, other, 'html')}" for other in LANGS if other != lang}
            page_paths += write_chart(folder, drawn, info, others, pictures)
        (folder / lang / "index.html").write_text(
            pages.index_page(lang, drawn_all[lang], info, PAGE_NAMES), encoding="utf-8"
        )
        page_paths.append(f"{lang}/index.html")
    rasterise(pictures, jobs)
    i18n.set_language("en")
    (folder / "index.html").write_text(pages.root_page(info, {lang: drawn_all[lang] for lang in LANGS}), "utf-8")
    page_paths.insert(0, "index.html")
    return page_paths


def describe(result: Result) -> str:
    what = "built" if result.built else "already built (unchanged)"
    return (
        f"Site of release {result.version} {what}: {result.charts} charts in {len(LANGS)} languages, "
        f"{result.files} files, {result.bytes / 1e6:.1f} MB, {result.seconds:.1f} s → {result.folder}"
    )
