"""Who may import whom: the dashboard reads the published dataset (``dataset``), never the ETL's modules;
queries and database access are plain Python, usable without Streamlit; importing them changes nothing."""

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
        "import dashboard.briefing, dashboard.db, dashboard.queries\n"
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
