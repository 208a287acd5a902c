"""``python -m etl fetch``: refresh from the publisher, against a local HTTP server serving recorded copies.

Each fault (an error status, a cut-short body, a zip with an unexpected member, a redirect to another host, a
file that is not the expected layout) must leave data/ byte for byte as it was and say why; a 304 only moves
the provenance's ``fetch.checked``; a changed file replaces the old one with its provenance updated, and the next
build's changelog shows the figure the publisher revised.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import threading
import zipfile
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from etl.errors import SourceError
from etl.fetch import GOOGLE_FILES, fetch, fetch_all
from etl.provenance import provenance_path, sha256_of
from tests.incident_events.helpers import UCDP_ROWS, hdx_csv

from .helpers import DATA_DIR, GOOGLE_DIR, connect, latest_database

SUMMARY = "google-government-removal-requests.csv"
ETAG = '"recorded-2025-h1"'


class Recorded(BaseHTTPRequestHandler):
    """Serves ``routes[path]`` (status, headers, body, bytes actually sent); records each request."""

    routes: dict[str, tuple[int, dict[str, str], bytes, int | None]] = {}
    seen: list[tuple[str, dict[str, str]]] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.seen.append((self.path, dict(self.headers)))
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        status, headers, body, sent = route
        if status == 200 and headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
            status, body = 304, b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:sent] if sent is not None else body)
        self.wfile.flush()
        if sent is not None:
            self.close_connection = True

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _serve(path: str, body: bytes, status: int = 200, headers: dict | None = None, sent: int | None = None) -> None:
    Recorded.routes[path] = (
        status,
        {"ETag": ETAG, **(headers or {})} if status == 200 else dict(headers or {}),
        body,
        sent,
    )


def _excerpt(name: str) -> str:
    """The file's header and its Pakistan rows: a recorded copy small enough for a test."""
    lines = (GOOGLE_DIR / name).read_text(encoding="utf-8").splitlines()
    return "\n".join([lines[0], *(line for line in lines[1:] if ",Pakistan," in line)]) + "\n"


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data folder: the reference tables and Google's four files (Pakistan rows), each with its provenance."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "reference", data / "reference")
    google = data / "sources" / "google"
    google.mkdir(parents=True)
    for name in GOOGLE_FILES:
        (google / name).write_text(_excerpt(name), encoding="utf-8")
        meta = json.loads(provenance_path(GOOGLE_DIR / name).read_text(encoding="utf-8"))
        meta["sha256"] = sha256_of(google / name)
        provenance_path(google / name).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return data


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _revised_files() -> dict[str, str]:
    """Google's next release, as recorded: one Pakistan request count revised in the summary file."""
    files = {name: _excerpt(name) for name in GOOGLE_FILES}
    old = "2019-06-30,Pakistan,PK,Police,104,1170"
    assert old in files[SUMMARY]
    files[SUMMARY] = files[SUMMARY].replace(old, "2019-06-30,Pakistan,PK,Police,105,1170")
    return files


def _refused(call: Callable[[], object], data_dir: Path, message: str) -> None:
    before = _snapshot(data_dir.parent)
    with pytest.raises(SourceError, match=message) as caught:
        call()
    assert _snapshot(data_dir.parent) == before  # nothing half-written, no staging left behind
    assert "nothing was changed" in str(caught.value).lower()


def test_a_changed_release_replaces_the_files_updates_provenance_and_shows_in_the_changelog(server, data_dir, tmp_path):
    from etl.build import run

    run(tmp_path / "published", data_dir=data_dir)  # the release before the fetch
    _serve("/google-v2.zip", _zip(_revised_files()), headers={"Last-Modified": "Tue, 01 Jul 2025 00:00:00 GMT"})
    untouched = data_dir / "sources" / "google" / "google-government-detailed-removal-requests.csv"
    untouched_meta = json.loads(provenance_path(untouched).read_text(encoding="utf-8"))
    result = fetch("google", data_dir, url=f"{server}/google-v2.zip")
    assert result.status == "changed" and result.files == [SUMMARY]  # only the file the publisher revised
    after = json.loads(provenance_path(untouched).read_text(encoding="utf-8"))
    assert after["retrieved"] == untouched_meta["retrieved"] and "changed" not in after["fetch"]
    assert after["fetch"]["checked"] and after["sha256"] == untouched_meta["sha256"]
    path = data_dir / "sources" / "google" / SUMMARY
    assert "2019-06-30,Pakistan,PK,Police,105,1170" in path.read_text(encoding="utf-8")
    meta = json.loads(provenance_path(path).read_text(encoding="utf-8"))
    assert meta["sha256"] == sha256_of(path) and meta["download_url"] == f"{server}/google-v2.zip"
    assert meta["fetch"]["etag"] == ETAG and meta["fetch"]["checked"] == meta["fetch"]["changed"]
    assert meta["retrieved"] == meta["fetch"]["checked"][:10] and "01 Jul 2025" in meta["published"]
    assert "2019H1–2025H1" in meta["fetch"]["layout_release"]
    assert not list(data_dir.rglob(".fetch-*"))
    run(tmp_path / "published", data_dir=data_dir)  # the release after it: the revision is in the changelog
    con = connect(latest_database(tmp_path / "published"))
    try:
        revised = con.execute(
            "SELECT value_before, value_after FROM release_revisions "
            "WHERE table_name = 'platform_reported_requests' AND \"column\" = 'requests'"
        ).fetchall()
        coverage = con.execute(
            "SELECT source_last_checked, source_last_changed FROM series_coverage WHERE series_id = 'google_removals'"
        ).fetchone()
    finally:
        con.close()
    assert revised == [("104", "105")]
    assert coverage == (meta["fetch"]["checked"], meta["fetch"]["changed"])  # the coverage view says when


def test_not_modified_changes_only_the_time_checked(server, data_dir):
    _serve("/google-v2.zip", _zip(_revised_files()))
    fetch("google", data_dir, url=f"{server}/google-v2.zip")
    files = {p: p.read_bytes() for p in (data_dir / "sources" / "google").glob("*.csv")}
    result = fetch("google", data_dir, url=f"{server}/google-v2.zip")  # the server answers 304 to our ETag
    assert result.status == "not modified"
    assert Recorded.seen[-1][1].get("If-None-Match") == ETAG
    assert {p: p.read_bytes() for p in files} == files
    meta = json.loads(provenance_path(data_dir / "sources" / "google" / SUMMARY).read_text(encoding="utf-8"))
    assert meta["sha256"] == sha256_of(data_dir / "sources" / "google" / SUMMARY)


def test_the_same_bytes_again_are_unchanged(server, data_dir):
    _serve("/google-same.zip", _zip({name: _excerpt(name) for name in GOOGLE_FILES}))
    before = {p: p.read_bytes() for p in (data_dir / "sources" / "google").glob("*.csv")}
    assert fetch("google", data_dir, url=f"{server}/google-same.zip").status == "unchanged"
    assert {p: p.read_bytes() for p in before} == before


def test_a_server_error_changes_nothing(server, data_dir):
    _serve("/broken.zip", b"Internal Server Error", status=500)
    _refused(lambda: fetch("google", data_dir, url=f"{server}/broken.zip"), data_dir, "answered HTTP 500")


def test_a_truncated_body_changes_nothing(server, data_dir):
    body = _zip(_revised_files())
    _serve("/cut.zip", body, sent=len(body) // 2)
    _refused(lambda: fetch("google", data_dir, url=f"{server}/cut.zip"), data_dir, "cut short")


def test_a_truncated_zip_without_a_length_changes_nothing(server, data_dir):
    body = _zip(_revised_files())
    _serve("/cut-no-length.zip", body[: len(body) // 2])  # a consistent length: only the zip can tell
    _refused(lambda: fetch("google", data_dir, url=f"{server}/cut-no-length.zip"), data_dir, "not a complete zip")


def test_a_zip_with_an_unexpected_member_changes_nothing(server, data_dir):
    files = {**_revised_files(), "../../etc/cron.d/evil": "x", "notes/ask.someone@example.org.txt": "y"}
    _serve("/extra.zip", _zip(files))
    with pytest.raises(SourceError) as caught:
        fetch("google", data_dir, url=f"{server}/extra.zip")
    assert "someone@example.org" not in str(caught.value) and "withheld" in str(caught.value)
    _refused(lambda: fetch("google", data_dir, url=f"{server}/extra.zip"), data_dir, "member.*does not expect")


def test_a_redirect_to_another_host_changes_nothing(server, data_dir):
    port = server.rsplit(":", 1)[1]
    _serve("/moved.zip", b"", status=302, headers={"Location": f"http://localhost:{port}/google-v2.zip"})
    _refused(lambda: fetch("google", data_dir, url=f"{server}/moved.zip"), data_dir, "redirected to another host")


def test_a_download_that_is_not_the_expected_layout_changes_nothing(server, data_dir):
    files = _revised_files()
    files[SUMMARY] = files[SUMMARY].replace("Requestor", "Requesting body")
    _serve("/renamed.zip", _zip(files))
    _refused(lambda: fetch("google", data_dir, url=f"{server}/renamed.zip"), data_dir, "google_summary layout")


def test_acled_key_is_sent_but_never_printed_or_written(server, data_dir, capsys):
    header = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,admin1,country,fatalities\n"
    row = "PAK1,2025-01-05,1,Battles,Armed clash,Unidentified Armed Group (Pakistan),Balochistan,Pakistan,2\n"
    _serve("/acled/read.csv", (header + row).encode())
    env = {"ACLED_API_KEY": "k3y-SECRET-4711", "ACLED_EMAIL": "analyst@example.org"}
    assert fetch("acled", data_dir, env={}).status == "skipped"
    result = fetch("acled", data_dir, url=f"{server}/acled/read.csv", env=env)
    assert result.status == "changed"
    assert "key=k3y-SECRET-4711" in Recorded.seen[-1][0]  # sent in the request …
    saved = data_dir.parent / "private" / "acled_pakistan.csv"
    meta_text = provenance_path(saved).read_text(encoding="utf-8")
    assert "k3y-SECRET-4711" not in meta_text and "analyst@example.org" not in meta_text  # … never written
    assert "k3y-SECRET-4711" not in result.message + capsys.readouterr().out
    assert not (data_dir / "acled_pakistan.csv").exists()  # a user's own download stays out of data/


def test_fetch_all_reports_each_source_and_goes_on_after_a_failure(server, data_dir):
    _serve("/google-v2.zip", _zip(_revised_files()))
    _serve("/ged.csv", b"", status=500)
    results = fetch_all(data_dir, env={}, urls={"google": f"{server}/google-v2.zip", "ucdp_ged": f"{server}/ged.csv"})
    kinds = [type(r).__name__ if isinstance(r, SourceError) else r.status for r in results]
    assert kinds == ["changed", "SourceError", "skipped"]


def test_the_command_says_what_happened(server, data_dir, capsys):
    from etl.__main__ import main

    _serve("/google-v2.zip", _zip(_revised_files()))
    assert main(["fetch", "google", "--data-dir", str(data_dir), "--url", f"{server}/google-v2.zip"]) == 0
    assert "updated" in capsys.readouterr().out
    _serve("/broken.zip", b"", status=500)
    assert main(["fetch", "google", "--data-dir", str(data_dir), "--url", f"{server}/broken.zip"]) == 2
    assert "HTTP 500" in capsys.readouterr().err


def test_the_nightly_job_fetches_then_builds():
    unit = (DATA_DIR.parent / "deploy" / "systemd" / "dashboard-etl.service").read_text(encoding="utf-8")
    commands = [line.split("=", 1) for line in unit.splitlines() if line.startswith("ExecStart")]
    assert [(key, value.split(" -m ", 1)[1]) for key, value in commands[:2]] == [
        ("ExecStartPre", "etl fetch --all"),
        ("ExecStart", "etl build --quiet"),
    ]
    assert commands[0][1].startswith("-/")  # a failed fetch does not stop the build from what data/ holds


def test_ucdp_ged_is_found_through_hdx_catalogue_and_its_hashtag_row_is_accepted(server, data_dir):
    from etl.provenance import read_provenance

    text = hdx_csv(UCDP_ROWS[:1])  # one state-based event in Khyber Pakhtunkhwa, under HDX's hashtag row
    _serve("/files/conflict_data_pak.csv", text.encode())
    catalogue = {
        "result": {"resources": [{"name": "conflict_data_pak.csv", "url": f"{server}/files/conflict_data_pak.csv"}]}
    }
    _serve("/api/3/action/package_show", json.dumps(catalogue).encode())
    events = data_dir / "sources" / "events"
    events.mkdir(parents=True)
    shipped = DATA_DIR / "sources" / "events" / "ucdp_ged_pakistan_1989-2021.csv"
    shutil.copy(provenance_path(shipped), events)  # the record the fetch updates (the file itself is fetched)
    result = fetch("ucdp_ged", data_dir, url=f"{server}/dataset/ucdp-data-for-pakistan")
    assert result.status == "changed"
    assert any(path.startswith("/api/3/action/package_show?id=ucdp-data-for-pakistan") for path, _ in Recorded.seen)
    fetched = read_provenance(events / shipped.name)  # checksum recorded: the build will accept it
    assert fetched.meta["download_url"] == f"{server}/files/conflict_data_pak.csv"
    assert (
        "hashtag row" in fetched.meta["fetch"]["layout_release"] and "iso3" in fetched.meta["fetch"]["layout_release"]
    )
    assert fetched.meta["cite_as"].startswith("Davies")  # what the publisher asks is kept
