"""deploy/push-release.sh: the published folder copied to other hosts' folders (local ones here), pointer last."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess

import pytest

from etl.build import run
from etl.caselog_generate import generate
from etl.publish import current_database
from tests.deploy.conftest import ROOT
from tests.site.conftest import copy_published, install_site

PUSH = ROOT / "deploy" / "push-release.sh"


@pytest.fixture(scope="module")
def rsync() -> str:
    found = shutil.which("rsync")
    if not found:
        if os.environ.get("REQUIRE_DEPLOY"):
            pytest.fail("rsync is missing; install Debian's rsync package (make deploy-deps as root)")
        pytest.skip("rsync is not installed (sudo apt-get install rsync); release push not tested")
    return found


def push(source, *destinations) -> subprocess.CompletedProcess:
    return subprocess.run([str(PUSH), str(source), *map(str, destinations)], capture_output=True, text=True)


def served(folder) -> str:
    return current_database(folder).name


def test_each_destination_serves_the_same_release_and_follows_the_next(rsync, published_dir, tmp_path):
    source = tmp_path / "source"
    shutil.copytree(published_dir, source)
    (source / ".building-123-abc.duckdb").write_bytes(b"a build in progress")
    (source / "releases" / "dataset-0123456789ab.zip.tmp").write_bytes(b"a release zip being written")
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]
    result = push(source, *hosts)
    assert result.returncode == 0, result.stderr
    for host in hosts:
        assert served(host) == served(source)
        assert filecmp.cmp(current_database(host), current_database(source), shallow=False)
        assert not list(host.glob(".*")), "staging files stay where they are"
        assert not list(host.glob("releases/*.tmp"))
        assert not filecmp.dircmp(source / "releases", host / "releases").diff_files

    # The next release: the same sources plus a small illustrative case log, built here rather than by the command
    # line (tests/caselog runs that; what is under test is the push).
    log = generate(rows=500, seed=3, out=tmp_path / "caselog.csv")
    run(source, case_logs=[log])
    previous = served(hosts[0])
    assert served(source) != previous
    assert push(source, *hosts).returncode == 0
    for host in hosts:
        assert served(host) == served(source)
        assert {p.name for p in host.glob("dataset-*")} == {p.name for p in source.glob("dataset-*")}


def test_nothing_is_pushed_from_a_folder_without_a_release(rsync, tmp_path):
    (tmp_path / "empty").mkdir()
    result = push(tmp_path / "empty", tmp_path / "host")
    assert result.returncode == 2 and "no LATEST" in result.stderr
    assert not (tmp_path / "host").exists()


def test_the_static_site_is_pushed_with_latest_as_a_link_to_a_complete_version(
    rsync, published_dir, built_site, tmp_path
):
    source = copy_published(published_dir, tmp_path / "source")
    site = install_site(built_site, source)  # the session's site of this release, as a build here would leave it
    (source / "site" / f".{site.version}.999999.tmp").mkdir()  # a site being written stays where it is
    host = tmp_path / "host"
    assert push(source, host).returncode == 0
    latest = host / "site" / "latest"
    assert latest.is_symlink() and os.readlink(latest) == site.version
    assert (latest / "en" / "ledger.html").read_bytes() == (site.folder / "en" / "ledger.html").read_bytes()
    assert not list((host / "site").glob(".*"))
