"""Page runs take turns (dashboard/turns.py): never more than AT_ONCE at once, a turn is always given back, and
a run never waits forever."""

from __future__ import annotations

import threading
import time

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from dashboard import turns


@pytest.fixture
def two_at_once(monkeypatch):
    monkeypatch.setattr(turns, "_turns", threading.BoundedSemaphore(2))
    monkeypatch.setattr(turns, "WAIT_SECONDS", 10.0)


def run_together(count: int, body) -> list[BaseException]:
    errors: list[BaseException] = []

    def one():
        try:
            body()
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a run never finished"
    return errors


def test_no_more_than_two_runs_at_once_and_every_run_gets_its_turn(two_at_once):
    lock = threading.Lock()
    inside, most, done = 0, 0, 0

    def page_run():
        nonlocal inside, most, done
        with turns.turn():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.02)
            with lock:
                inside -= 1
                done += 1

    assert run_together(12, page_run) == []
    assert most == 2
    assert done == 12


def test_a_turn_is_given_back_when_streamlit_stops_the_script(two_at_once):
    """st.stop() and reruns end a script by raising inside it: the turn must come back all the same."""

    def stopped_run():
        with turns.turn():
            raise StopException()

    errors = run_together(6, stopped_run)
    assert len(errors) == 6 and all(isinstance(e, StopException) for e in errors)
    # both turns are free again: two runs can hold one each without waiting
    assert turns._turns.acquire(timeout=0.1) and turns._turns.acquire(timeout=0.1)
    turns._turns.release()
    turns._turns.release()


def test_a_nested_turn_on_the_same_thread_does_not_wait_for_itself(monkeypatch):
    monkeypatch.setattr(turns, "_turns", threading.BoundedSemaphore(1))
    monkeypatch.setattr(turns, "WAIT_SECONDS", 5.0)
    started = time.monotonic()
    with turns.turn(), turns.turn():
        pass
    assert time.monotonic() - started < 1
    assert turns._turns.acquire(timeout=0.1)  # and the one slot is free again
    turns._turns.release()


def test_a_stuck_run_slows_others_down_but_never_stops_them(monkeypatch):
    monkeypatch.setattr(turns, "_turns", threading.BoundedSemaphore(1))
    monkeypatch.setattr(turns, "WAIT_SECONDS", 0.2)
    holding, release = threading.Event(), threading.Event()

    def stuck_run():
        with turns.turn():
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=stuck_run)
    holder.start()
    assert holding.wait(5)  # the stuck run has the only turn and keeps it
    started = time.monotonic()
    ran = []
    with turns.turn():
        ran.append(time.monotonic() - started)
    assert len(ran) == 1 and 0.15 < ran[0] < 3  # it waited its time, then went ahead
    release.set()
    holder.join(timeout=5)
    assert turns._turns.acquire(timeout=0.1)  # the stuck run gave its turn back; the other took none
    turns._turns.release()
    with pytest.raises(ValueError):
        turns._turns.release()  # a bounded semaphore: nothing was given back twice
