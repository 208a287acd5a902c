"""Shared fixtures: one real dataset built from the shipped data/ into a temporary folder per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.publish import current_database

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT / "data"


#: Session fixtures that start one long-lived service, or are a whole build made for a few tests: every test that
#: uses one runs in the same xdist worker, so it is made once.
SHARED_SERVICES = {
    "stack": "deploy",  # supervisord, nginx and two replicas (tests/deploy/conftest.py)
    "app_url": "browser",  # one Streamlit server driven by Chromium (tests/browser/conftest.py)
    "second_build": "second-build",  # the shipped data built again by the command line (below)
    "second_version": "second-version",  # another version of the dataset, built (tests/security/conftest.py)
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items):
    """Groups for ``pytest -n N --dist loadgroup`` (``make test``): a test that uses a shared service joins its
    group; a test that uses a module-scoped fixture (a server of its own, a build) stays with its module, so
    the fixture is made once and its log file is written by one process. Everything else is spread freely;
    session fixtures are made once per worker (each in that worker's own temporary folder)."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        names = set(getattr(item, "fixturenames", ()))
        group = next((g for fixture, g in SHARED_SERVICES.items() if fixture in names), None)
        if group is None:
            definitions = getattr(item, "_fixtureinfo", None)
            scopes = {d[-1].scope for name, d in (definitions.name2fixturedefs.items() if definitions else ()) if d}
            if scopes & {"module", "package", "class"}:
                group = item.nodeid.split("::", 1)[0]
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def published_dir(tmp_path_factory) -> Path:
    """A dataset built from the shipped data and published into its own folder; the app is pointed at it."""
    out = tmp_path_factory.mktemp("published")
    run(out)
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(out)
    yield out
    if previous is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = previous


@pytest.fixture(scope="session")
def published_db(published_dir) -> Path:
    return current_database(published_dir)


@pytest.fixture(scope="session")
def second_build(tmp_path_factory) -> tuple[Path, str]:
    """The same shipped data built again, by the command line (``published_dir`` was built in-process), in a copy
    of the project (so data/ is at another path), into another folder: that folder and what the command printed.
    Two builds of one input must give the same dataset (tests/etl/test_publish.py) and the same release files
    (tests/test_release.py)."""
    from tests.etl.helpers import copy_project, run_cli

    root = copy_project(tmp_path_factory.mktemp("second"))
    proc = run_cli("build", "--quiet", "--out", str(root / "pub"), cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "pub", " ".join(proc.stdout.split())


@pytest.fixture(scope="session")
def built_site(published_dir, tmp_path_factory):
    """The static site of the session's release, built once per worker in a copy of the published folder; the
    site tests read it and the deployment tests install a copy of it (tests/site/conftest.py)."""
    from dashboard.site.build import build
    from tests.site.conftest import copy_published

    return build(copy_published(published_dir, tmp_path_factory.mktemp("site") / "published"))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session: a second sync Playwright in the
    same process is refused, so every test folder (browser, deploy, security) shares this one."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
