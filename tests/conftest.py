"""Shared fixtures: one real dataset built from the shipped data/ into a temporary folder per test session."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from pathlib import Path

import pytest

from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.publish import current_database

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT / "data"


#: Session fixtures that start one long-lived service, or are a whole build made for a few tests: every test that
#: uses one runs in the same xdist worker, so it is made once. The first fixture of this order that a test uses
#: names its group.
SHARED_SERVICES = {
    "stack": "deploy",  # supervisord, nginx and two replicas (tests/deploy/conftest.py)
    # Each page's one visit per language (drawing, axe-core, phone width, keyboard), read by several tests.
    "visits": "browser",
    # The other browser tests, each in its own tab of the served app: a group of their own, which the other
    # worker may take, starting a server of its own, so that the browser tests are not all on one worker.
    "app_url": "browser-steps",  # one Streamlit server driven by Chromium (tests/browser/conftest.py)
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


@pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")  # after pytest-xdist's worker hook
def pytest_group_suffix_in_the_id(config, items):
    """Make sure a grouped test's id ends in ``@<group>`` on a pytest-xdist worker: that suffix is how the
    ``loadgroup`` scheduler keeps a group in one worker. pytest-xdist 3.8 writes it to ``item._nodeid``, which
    pytest 9.2 no longer reads (a node's id is ``item._id``), so every group was spread over all workers: each
    worker started its own app server, browser and deployment, and built its own copy of a module's fixtures."""
    if not config.getoption("loadgroup", default=False):  # set on xdist workers with --dist loadgroup only
        return
    for item in items:
        names = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
        )
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)


def made_once(tmp_path_factory, name: str, make):
    """What ``make(folder)`` returns, made once for the whole run: under pytest-xdist the first worker to ask makes
    it in a folder of the run's temporary root while the others wait on a file lock, then read what it returned.
    Only for what no test changes (a test that needs to change it works on a copy)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / f"made-once-{name}"
    with open(shared.with_name(shared.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        made = shared.with_name(shared.name + ".pickle")
        if made.exists():
            return pickle.loads(made.read_bytes())  # noqa: S301 (written by this run's own worker, just above)
        shutil.rmtree(shared, ignore_errors=True)  # what a worker that failed half-way left
        shared.mkdir()
        result = make(shared)
        made.write_bytes(pickle.dumps(result))
        return result


@pytest.fixture(scope="session")
def published_dir(tmp_path_factory) -> Path:
    """A dataset built from the shipped data and published into its own folder, once for the run (``made_once``);
    the app is pointed at it. No test writes into it: one that publishes or changes a file works on a copy."""

    def build(folder: Path) -> Path:
        run(folder)
        return folder

    out = made_once(tmp_path_factory, "published", build)
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
    """The static site of the session's release, built once for the run (``made_once``) in a copy of a published
    folder; the site tests read it and the deployment tests install a copy of it (tests/site/conftest.py). Every
    worker's ``published_dir`` holds the same release, so the site is the same whichever worker builds it."""
    from dashboard.site.build import build
    from tests.site.conftest import copy_published

    return made_once(
        tmp_path_factory, "site", lambda folder: build(copy_published(published_dir, folder / "published"))
    )


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
