"""A new dataset published while sessions are drawing pages: no failed query, no page mixing two versions.

The entry point reads ``LATEST`` once per rerun (``live.pin``) and every query of that rerun reads
the pinned file, so a publish is picked up by the next rerun and never half-way through a page.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

from benchmarks.load import SessionFailure, StreamlitSession, run_coroutine, serve
from dashboard import db, live
from etl.publish import current_database
from tests.security.conftest import ROOT, publish_copy

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["overview", "requests", "responsiveness", "incidents", "about"]
# One session per page: the sessions start on different pages and move one page on per run, so the first round
# draws every page (a sixth session drew one page twice). Two query threads query beside the sessions and beside
# each other (a third added no case): without a pause while a version is published and until each has answered a
# few times after it, every QUERY_PAUSE seconds otherwise (queried without pause all along, they took the
# interpreter from the sessions and made the exchange more than twice as long, with no other case).
SESSIONS, QUERY_THREADS = len(PAGES), 2
QUERY_PAUSE = 0.05
PUBLISHES = 1  # the second version (the real-server test below also publishes the first again)
DEADLINE = 240.0  # seconds for the whole exchange on a busy 2-core machine


class Turns:
    """AppTest is not safe to run from several threads at once (its harness loses its own session-state keys), so
    the sessions take turns drawing pages, in a fixed order (each session draws once before any draws again),
    while the query threads and the publisher run freely beside them. Once stopped, no session starts a page."""

    def __init__(self, count: int) -> None:
        self.count, self.next, self.stopped = count, 0, False
        self.condition = threading.Condition()

    @contextmanager
    def turn(self, number: int) -> Iterator[bool]:
        """Waits for session ``number``'s turn; yields False (draw nothing) once stopped."""
        with self.condition:
            self.condition.wait_for(lambda: self.stopped or self.next == number)
            try:
                yield not self.stopped
            finally:
                self.next = (self.next + 1) % self.count
                self.condition.notify_all()

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()


def _open(page: str, probe: int | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    if probe is not None:
        app.session_state["_probe"] = probe
    app.switch_page(f"app_pages/{page}.py")
    return app


def _sidebar_version(app: AppTest) -> str:
    caption = next(c.value for c in app.sidebar.caption if c.value.startswith("Dataset version"))
    return caption.split("**")[1]


class QueryLog:
    """Wraps ``live._run`` (the cached query runner every page goes through) and notes which file each query read."""

    def __init__(self, monkeypatch, on_query=None) -> None:
        self.entries: list[tuple[object, str]] = []
        self.lock = threading.Lock()
        original = live._run

        def spy(path: str, name: str, params):
            probe = st.session_state.get("_probe") if get_script_run_ctx(suppress_warning=True) else None
            with self.lock:
                self.entries.append((probe, path))
                count = len(self.entries)
            if on_query is not None:
                on_query(count)
            return original(path, name, params)

        monkeypatch.setattr(live, "_run", spy)

    def take(self, probe=None) -> list[str]:
        with self.lock:
            mine = [path for p, path in self.entries if p == probe]
            self.entries = [(p, path) for p, path in self.entries if p != probe]
        return mine


def test_a_page_drawn_while_a_dataset_is_published_reads_one_version(dataset_copy, second_version, monkeypatch):
    first = db.latest_path()
    published: list[Path] = []

    def publish_mid_page(count: int) -> None:
        if count == 3:  # the page has run some of its queries
            published.append(publish_copy(second_version, dataset_copy))

    log = QueryLog(monkeypatch, publish_mid_page)
    app = _open("requests").run()
    assert not app.exception, [e.value for e in app.exception]
    assert published, "the publish did not happen during the page"
    paths = log.take()
    assert len(paths) > 5
    assert set(paths) == {first}, "one page read two dataset files"
    assert _sidebar_version(app) == Path(first).stem.removeprefix("dataset-")

    app.run()  # the next rerun (any interaction) moves to the new dataset, for every query
    assert not app.exception
    assert set(log.take()) == {str(published[0])}
    assert _sidebar_version(app) == second_version.stem.removeprefix("dataset-")


def test_sessions_keep_answering_and_move_to_the_new_version(dataset_copy, second_version, monkeypatch):
    """Sessions redraw pages and other threads query while a new version is published."""
    first = Path(db.latest_path())
    log = QueryLog(monkeypatch)
    publishes: list[tuple[float, float, str]] = []  # (started, finished, served file)
    runs: list[dict] = []
    failures: list[str] = []
    stop, publishing = threading.Event(), threading.Event()
    answered = [0] * QUERY_THREADS  # queries each query thread has finished
    turns = Turns(SESSIONS)

    def session(probe: int) -> None:
        turn = probe
        while not stop.is_set():
            page = PAGES[turn % len(PAGES)]
            turn += 1
            try:
                with turns.turn(probe) as drawing:
                    if not drawing:
                        return
                    started = time.monotonic()
                    app = _open(page, probe).run()
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                failures.append(f"session {probe} {page}: {exc!r}")
                continue
            if app.exception:
                failures.append(
                    f"session {probe} {page}: {[e.value for e in app.exception]} "
                    f"{[list(e.stack_trace)[-4:] for e in app.exception]}"
                )
            runs.append(
                {
                    "probe": probe,
                    "page": page,
                    "started": started,
                    "finished": time.monotonic(),
                    "paths": set(log.take(probe)),
                    "version": _sidebar_version(app),
                }
            )

    def querier(number: int) -> None:
        while not stop.is_set():
            try:
                frame = db.run("platform_options")
                assert not frame.empty
            except Exception as exc:  # noqa: BLE001
                failures.append(f"direct query: {exc!r}")
            answered[number] += 1
            if not publishing.is_set():
                stop.wait(QUERY_PAUSE)

    def every_session_ran_since(moment: float) -> bool:
        return all(any(r["probe"] == p and r["started"] >= moment for r in list(runs)) for p in range(SESSIONS))

    threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
    threads += [threading.Thread(target=querier, args=(i,)) for i in range(QUERY_THREADS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + DEADLINE
    try:
        since = 0.0
        for i in range(PUBLISHES):  # publish as soon as every session has drawn a page from the last version
            while not every_session_ran_since(since) and time.monotonic() < deadline:
                time.sleep(0.1)
            source = second_version if i % 2 == 0 else first
            asked = list(answered)
            publishing.set()
            while any(a <= b for a, b in zip(answered, asked, strict=True)) and time.monotonic() < deadline:
                time.sleep(0.01)  # each query thread has left its pause and now queries without one
            started = time.monotonic()
            served = publish_copy(source, dataset_copy)
            since = time.monotonic()
            publishes.append((started, since, str(served)))
            asked = list(answered)
            while any(a < b + 3 for a, b in zip(answered, asked, strict=True)) and time.monotonic() < deadline:
                time.sleep(0.01)  # each query thread answers a few times after the publish, without pause
            publishing.clear()
        while not every_session_ran_since(since) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        turns.stop()
        for thread in threads:
            thread.join(timeout=300)

    assert failures == []
    for run in runs:
        assert len(run["paths"]) == 1, f"a page read several dataset files: {run}"
        (path,) = run["paths"]
        assert Path(path).stem.removeprefix("dataset-") == run["version"], run

    # A run that started after a publish finished (and before the next began) reads what that publish served.
    boundaries = [(0.0, 0.0, str(first)), *publishes]
    for run in runs:
        current = [b for b in boundaries if b[1] <= run["started"]][-1]
        later = [b for b in boundaries if b[0] > current[0]]
        if later and run["finished"] >= later[0][0]:
            continue  # overlapped the next publish: either version is right, but one only (checked above)
        assert run["paths"] == {current[2]}, f"a run started {run['started'] - current[1]:.2f}s after a publish"
    for _started, finished, served in publishes:  # every session drew pages from every version
        for probe in range(SESSIONS):
            assert any(r["probe"] == probe and r["paths"] == {served} and r["started"] >= finished for r in runs), (
                f"session {probe} never drew a page from {Path(served).name} within {DEADLINE:.0f}s"
            )


def test_session_moves_on_its_next_rerun(dataset_copy, second_version):
    """The stated bound: the first rerun that starts after ``LATEST`` is replaced reads the new version."""
    app = _open("about").run()
    assert _sidebar_version(app) != second_version.stem.removeprefix("dataset-")
    publish_copy(second_version, dataset_copy)
    app.run()
    assert _sidebar_version(app) == second_version.stem.removeprefix("dataset-")


def _versions_shown(messages: list[bytes]) -> set[str]:
    """Every dataset version a page run's messages show (the sidebar names it on every page)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found = set()
    for data in messages:
        message = ForwardMsg()
        message.ParseFromString(data)
        if message.WhichOneof("type") == "delta" and message.delta.new_element.WhichOneof("type") == "markdown":
            found.update(re.findall(r"Dataset version \*\*([0-9a-f]{12})\*\*", message.delta.new_element.markdown.body))
    return found


def test_real_sessions_keep_answering_while_versions_are_published(published_dir, second_version, tmp_path):
    """Websocket sessions against a real server (page runs truly concurrent) while two releases are published."""
    out = tmp_path / "published"
    shutil.copytree(published_dir, out)
    first = current_database(out)
    paths = ["", "requests", "responsiveness", "incidents", "data", "about"]
    readers = len(paths)  # one per page: each starts on its own, so the first version is drawn on every page

    async def exchange(url: str):
        runs, failures, publishes = [], [], []
        stop = asyncio.Event()

        async def reader(number: int) -> None:
            session = StreamlitSession(url, keep_messages=True)
            try:
                await session.open()
                turn = number
                while not stop.is_set():
                    path, turn = paths[turn % len(paths)], turn + 1
                    started, mark = time.monotonic(), len(session.received)
                    await session.page(path)
                    runs.append((number, started, time.monotonic(), _versions_shown(session.received[mark:])))
            except SessionFailure as failure:
                failures.append(f"reader {number}: {failure}")
            finally:
                await session.close()

        def all_ran_since(moment: float) -> bool:
            return all(any(r[0] == n and r[1] >= moment for r in runs) for n in range(readers))

        async def wait_for_every_reader(moment: float) -> None:
            deadline = time.monotonic() + DEADLINE
            while not all_ran_since(moment) and time.monotonic() < deadline and not failures:
                await asyncio.sleep(0.1)

        tasks = [asyncio.create_task(reader(n)) for n in range(readers)]
        since = 0.0
        for source in (second_version, first):
            await wait_for_every_reader(since)
            started = time.monotonic()
            await asyncio.to_thread(publish_copy, source, out)
            since = time.monotonic()
            publishes.append((started, since, source.stem.removeprefix("dataset-")))
        await wait_for_every_reader(since)
        stop.set()
        for task in tasks:  # the runs the exchange needs are in: a page still being drawn is left, not waited for
            task.cancel()
        ended = await asyncio.gather(*tasks, return_exceptions=True)
        for outcome in ended:
            if isinstance(outcome, BaseException) and not isinstance(outcome, asyncio.CancelledError):
                raise outcome
        return runs, failures, publishes

    with serve(out, log=ROOT / "test-output" / "streamlit-swap.log") as (url, _):
        runs, failures, publishes = run_coroutine(exchange(url))

    assert failures == []
    for number, started, finished, shown in runs:
        assert len(shown) == 1, f"reader {number}'s page showed versions {shown}"
        done = [p for p in publishes if p[1] <= started]
        overlapping = [p for p in publishes if started < p[1] and p[0] < finished]
        if done and not overlapping:
            assert shown == {done[-1][2]}, f"reader {number} started {started - done[-1][1]:.2f}s after a publish"
    for _started, finished, version in publishes:
        for number in range(readers):
            assert any(r[0] == number and r[1] >= finished and r[3] == {version} for r in runs), (
                f"reader {number} never showed {version}"
            )
