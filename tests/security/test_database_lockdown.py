"""The app's own DuckDB connection: read-only, no file or network access, configuration locked, limits set."""

from __future__ import annotations

import ast
import hashlib
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from dashboard import db

ROOT = Path(__file__).resolve().parents[2]

#: Statements an attacker would try if they could ever get SQL to the connection; each must fail.
REFUSED = {
    "read a server file": "SELECT * FROM read_csv('/etc/passwd')",
    "read a file as text": "SELECT * FROM read_text('/etc/passwd')",
    "read a file as bytes": "SELECT * FROM read_blob('/etc/passwd')",
    "list server files": "SELECT * FROM glob('/etc/*')",
    "sniff a server file": "SELECT * FROM sniff_csv('/etc/passwd')",
    "fetch a URL": "SELECT * FROM read_csv('https://example.org/x.csv')",
    "re-enable file access": "SET enable_external_access = true",
    "unlock the configuration": "SET lock_configuration = false",
    "raise the thread limit": "SET threads = 64",
    "raise the memory limit": "SET memory_limit = '64GB'",
    "reset the memory limit": "RESET memory_limit",
    "move spill files": "SET temp_directory = '/tmp/elsewhere'",
    "attach another file": "ATTACH '/tmp/other.duckdb' AS other",
    "attach a writable in-memory database": "ATTACH ':memory:' AS scratch",
    "write a file": "COPY (SELECT 1) TO '/tmp/out.csv'",
    "export the database": "EXPORT DATABASE '/tmp/export'",
    "insert": "INSERT INTO build_info SELECT * FROM build_info",
    "update": "UPDATE build_info SET strict = true",
    "delete": "DELETE FROM sources",
    "create a table": "CREATE TABLE planted (x INTEGER)",
    "create a view": "CREATE VIEW planted AS SELECT 1",
    "drop a table": "DROP TABLE incidents",
    "alter a table": "ALTER TABLE incidents ADD COLUMN planted INTEGER",
    "install an extension": "INSTALL httpfs",
    "load an extension": "LOAD httpfs",
    "load a planted extension": "LOAD '/tmp/planted.duckdb_extension'",
    "store a secret": "CREATE SECRET planted (TYPE s3, KEY_ID 'k', SECRET 's')",
}


@pytest.fixture
def app_connection(published_db, tmp_path):
    """The app's connection (``db.connect``, which the pages' cached connection opens) on a copy of the dataset."""
    copy = tmp_path / published_db.name
    shutil.copyfile(published_db, copy)
    con = db.connect(str(copy))
    yield con, copy
    con.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("statement", list(REFUSED.values()), ids=list(REFUSED))
def test_statement_is_refused(app_connection, statement):
    con, _ = app_connection
    cursor = con.cursor()
    with pytest.raises(duckdb.Error):
        cursor.execute(statement).fetchall()


def test_refused_statements_leave_the_file_untouched(app_connection):
    con, path = app_connection
    before = _sha256(path)
    for statement in REFUSED.values():
        try:
            con.cursor().execute(statement).fetchall()
        except duckdb.Error:
            pass
    assert con.cursor().execute("SELECT count(*) FROM incidents").fetchone()[0] > 0
    assert _sha256(path) == before


def test_limits_are_set_and_locked(app_connection):
    con, _ = app_connection
    settings = dict(
        con.cursor()
        .execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('access_mode', 'enable_external_access', 'lock_configuration', 'threads', 'memory_limit')"
        )
        .fetchall()
    )
    assert settings["access_mode"] == "read_only"
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    assert settings["threads"] == "2"
    assert settings["memory_limit"].startswith("953.6 MiB")  # 1GB, as DuckDB prints it


def test_hostile_values_are_bound_not_executed(dataset_copy):
    """Through ``db.run``: a value shaped like SQL is a value; it matches nothing and changes nothing."""
    before = db.run("platform_options")
    for value in ["x'); DROP TABLE platforms; --", "' OR '1'='1", "facebook\x00", "$year_from", "; ATTACH '/tmp/x'"]:
        frame = db.run("platform_reports", platforms=[value], year_from=2009, year_to=2030)
        assert frame.empty
        assert db.run("pta_by_category", categories=[value], year_from=2009, year_to=2030).empty
    assert db.run("platform_options").equals(before)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "build_info; DROP TABLE sources", "build_info.sql", "", "BUILD_INFO"]
)
def test_only_named_queries_from_the_sql_folder_can_run(name):
    with pytest.raises(ValueError, match="unknown query"):
        db.sql_text(name)


def test_every_query_the_dashboard_runs_is_a_literal_name_from_the_allow_list():
    """Static check of every ``db.run(...)`` call: the query name is a string literal in ``dashboard/sql``."""
    calls = 0
    for source in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run":
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id == "db":
                    calls += 1
                    first = node.args[0] if node.args else None
                    assert isinstance(first, ast.Constant) and first.value in db.QUERY_NAMES, (
                        f"{source.name}:{node.lineno}"
                    )
    assert calls >= 20


def test_sql_files_bind_values_and_hold_one_statement():
    for path in sorted(db.SQL_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        code = "\n".join(line.split("--")[0] for line in text.splitlines())
        assert "{" not in code and "%s" not in code, f"{path.name}: looks like a format string"
        assert len(duckdb.extract_statements(text)) == 1, f"{path.name}: not exactly one statement"


def test_cursors_on_the_shared_connection_are_safe_across_threads(app_connection):
    """Many Streamlit session threads share one connection; each query on its own cursor gives the right answer."""
    con, _ = app_connection
    expected = con.cursor().execute("SELECT count(*) FROM incidents").fetchone()[0]
    failures: list[str] = []

    def worker() -> None:
        for _ in range(40):
            cursor = con.cursor()
            try:
                cursor.execute(db.sql_text("build_info")).fetchall()
                (count,) = cursor.execute("SELECT count(*) FROM incidents").fetchone()
                if count != expected:
                    failures.append(f"got {count}")
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                failures.append(repr(exc))
            finally:
                cursor.close()

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
