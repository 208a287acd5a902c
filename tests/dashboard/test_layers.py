"""Who may import whom (docs/ARCHITECTURE.md): the dashboard reads the published dataset (``dataset``), never
the ETL's modules, and the ETL never the dashboard; queries, charts, the registry and the briefing pack are
plain Python, usable without Streamlit, and importing them changes nothing; caching and the per-run pin of the
dataset live in the Streamlit layer; only ``db`` and ``live`` talk to DuckDB; nothing imports a page."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports, wherever the import statement is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def files(folder: str) -> list[Path]:
    found = sorted((ROOT / folder).rglob("*.py"))
    assert found
    return found


#: The plain data layer: a connection or a path in, a frame or a figure spec out; no Streamlit.
PLAIN = {
    "db",
    "queries",
    "charts",
    "registry",
    "summaries",
    "i18n",
    "markdown",
    "colors",
    "briefing",  # a package: its __init__, __main__, figures and words
    "svg_charts",
    "pdf",
    "turns",
    "catalogue",
    "reports",
    "site",  # the static site builder (a package): dashboard/site/*.py
}
#: The Streamlit layer: caches, the per-run pin of the dataset file, widgets, the chart block, the protocol.
STREAMLIT_LAYER = {"app", "live", "blocks", "filters", "embed", "protocol", "log_limit", "serve"}


def dashboard_imports(path: Path) -> set[str]:
    """The dashboard modules a file imports (``from dashboard import a`` and ``import dashboard.a`` alike)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names if a.name.startswith("dashboard.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "dashboard":
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("dashboard."):
            names.add(node.module.split(".")[1])
    return names


def module_files(module: str) -> list[Path]:
    """The files of a dashboard module: ``<module>.py``, or every file of the package ``<module>/``."""
    package = ROOT / "dashboard" / module
    return sorted(package.glob("*.py")) if package.is_dir() else [ROOT / "dashboard" / f"{module}.py"]


def test_every_dashboard_module_has_its_layer():
    modules = {p.stem for p in (ROOT / "dashboard").glob("*.py")} - {"__init__"}
    packages = {p.parent.name for p in (ROOT / "dashboard").glob("*/__init__.py")} - {"app_pages"}
    assert {"briefing", "site"} <= packages, "the briefing pack and the static site are packages"
    assert modules | packages == PLAIN | STREAMLIT_LAYER
    assert not PLAIN & STREAMLIT_LAYER


@pytest.mark.parametrize("module", sorted(PLAIN))
def test_the_plain_layer_imports_neither_streamlit_nor_the_streamlit_layer(module):
    for path in module_files(module):
        assert not {m for m in imported_modules(path) if m.split(".")[0] == "streamlit"}, path
        assert dashboard_imports(path) <= PLAIN, (path, dashboard_imports(path) - PLAIN)


def test_charts_are_pure_functions_of_their_frame():
    assert not dashboard_imports(ROOT / "dashboard" / "charts.py") & {"db", "queries", "registry", "live", "blocks"}
    assert "duckdb" not in imported_modules(ROOT / "dashboard" / "charts.py")


@pytest.mark.parametrize("path", files("dashboard"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_db_and_live_talk_to_duckdb_and_nothing_imports_a_page(path):
    if path.stem not in ("db", "live"):
        assert "duckdb" not in {m.split(".")[0] for m in imported_modules(path)}
    assert "app_pages" not in dashboard_imports(path)


@pytest.mark.parametrize("path", files("etl"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_etl_imports_neither_the_dashboard_nor_streamlit(path):
    assert not {m for m in imported_modules(path) if m.split(".")[0] in ("dashboard", "streamlit")}


def test_the_rules_name_real_imports():
    """The checks above see imports: a page's Streamlit import and live's DuckDB import are found."""
    assert "streamlit" in imported_modules(ROOT / "dashboard" / "app_pages" / "requests.py")
    assert {"blocks", "registry"} <= dashboard_imports(ROOT / "dashboard" / "app_pages" / "requests.py")
    assert "charts" in dashboard_imports(ROOT / "dashboard" / "registry.py")
    assert {"db", "queries"} <= dashboard_imports(ROOT / "dashboard" / "live.py")


@pytest.mark.parametrize("path", files("dashboard"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_dashboard_does_not_import_the_etl(path):
    assert not {m for m in imported_modules(path) if m == "etl" or m.startswith("etl.")}


@pytest.mark.parametrize("path", files("dataset"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_shared_package_imports_neither_side(path):
    assert not {m for m in imported_modules(path) if m.split(".")[0] in ("etl", "dashboard", "streamlit")}


@pytest.mark.parametrize("module", ["queries.py", "db.py"])
def test_queries_and_database_access_do_not_import_streamlit(module):
    assert not {m for m in imported_modules(ROOT / "dashboard" / module) if m.split(".")[0] == "streamlit"}


def test_the_briefing_command_and_the_queries_run_without_streamlit_and_importing_db_changes_nothing():
    script = (
        "import sys\n"
        "import dashboard.briefing, dashboard.db, dashboard.queries, dashboard.site.build\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
        "from streamlit.runtime.app_session import AppSession\n"
        "assert not getattr(AppSession.handle_backmsg, 'dashboard_guard', False)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_queries_read_the_dataset_chosen_for_them(published_dir):
    """``db.reading`` decides which file the plain queries read (the pages' layer pins a file this way)."""
    from dashboard import db, queries

    version = queries.build_info()["dataset_version"]

    class Recorder:
        def __init__(self, dataset: db.Dataset) -> None:
            self.path, self.dataset, self.asked = dataset.path, dataset, []

        def run(self, name, params=()):
            self.asked.append(name)
            return self.dataset.run(name, params)

    recorder = Recorder(db.Dataset(db.latest_path()))
    with db.reading(recorder):
        assert queries.build_info()["dataset_version"] == version
        queries.platform_options()
    assert recorder.asked == ["build_info", "platform_options"]
    assert db.in_use().path == db.latest_path()  # the choice ended with the block
