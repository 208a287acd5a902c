"""Page runs take turns: at most a few run at once in one server process.

Streamlit runs every session's page script in its own thread. Python runs one thread at a time, so when 50
readers open pages together, 50 runs share one core and every one of them finishes late, each holding its
query results, figures and messages in memory the whole time. Letting a few run at once and the rest wait
their turn finishes the same work in the same total time, but each run sooner on average, and with a few
runs' worth of memory in flight instead of fifty (docs/BENCHMARKS.md, load section).

A run waits at most ``WAIT_SECONDS`` for its turn, then goes ahead anyway: a stuck run can slow the others
down but never stop them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

AT_ONCE = max(1, int(os.environ.get("DASHBOARD_RUNS_AT_ONCE", "2")))
WAIT_SECONDS = 30.0

_turns = threading.BoundedSemaphore(AT_ONCE)
_state = threading.local()


@contextlib.contextmanager
def turn() -> Iterator[None]:
    """Wait for a turn, run the body, and give the turn back however the body ends (Streamlit stops and
    reruns a script by raising inside it). Nested turns on one thread take no second slot."""
    if getattr(_state, "holding", False):
        yield
        return
    got = _turns.acquire(timeout=WAIT_SECONDS)
    _state.holding = True
    try:
        yield
    finally:
        _state.holding = False
        if got:
            _turns.release()
