"""Log lines a client can cause are rate-limited, so that no client can flood the server log.

Streamlit logs one warning per refused client message (a debug message, an oversized or malformed one, an
upload, a message the app does not serve). One client sending them as fast as it can wrote 41 MB of log from
0.8 MB of messages, enough to rotate everything else out of a replica's log in under 20 seconds. Here each
kind of line (logger and message template) is written at most ``BURST`` times a ``WINDOW``; the first line of
the next window says how many were left out. Errors from page runs pass through the same limit per template,
so the first few of each kind are always kept.
"""

from __future__ import annotations

import logging
import threading
import time

BURST = 10  # lines of one kind per window
WINDOW = 60.0  # seconds
MAX_KINDS = 1000  # kinds remembered; beyond that, new kinds share one allowance

#: Streamlit's loggers whose lines a client's messages or requests can cause (created here if not yet used).
CLIENT_FACING_LOGGERS = (
    "streamlit.web.server.starlette.starlette_websocket",
    "streamlit.web.server.starlette.starlette_routes",
    "streamlit.web.server.starlette.starlette_app",
    "streamlit.runtime.app_session",
    "streamlit.runtime.runtime",
    "streamlit.runtime.backend_operation_handler",
    "streamlit.runtime.media_file_manager",
    "streamlit.runtime.memory_media_file_storage",
    "streamlit.runtime.scriptrunner.script_runner",
    "streamlit.runtime.scriptrunner.exec_code",
    "streamlit.runtime.state.session_state",
    "streamlit.error_util",
    "uvicorn.error",
    "websockets",
)
#: The app's own loggers that note refused client messages.
APP_LOGGERS = ("dashboard.protocol",)


class RateLimit(logging.Filter):
    """At most ``burst`` records of one kind (logger name + unformatted message) per ``window`` seconds."""

    def __init__(self, burst: int = BURST, window: float = WINDOW, clock=time.monotonic) -> None:
        super().__init__()
        self.burst, self.window, self.clock = burst, window, clock
        self._kinds: dict[tuple[str, str], list] = {}  # kind → [window start, written, left out]
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, str(record.msg)[:200])
        now = self.clock()
        with self._lock:
            if kind not in self._kinds and len(self._kinds) >= MAX_KINDS:
                kind = ("", "other")
            state = self._kinds.setdefault(kind, [now, 0, 0])
            if now - state[0] >= self.window:
                left_out = state[2]
                state[:] = [now, 0, 0]
                if left_out:
                    record.msg = f"{record.msg} [{left_out} more like this were left out of the log]"
            if state[1] >= self.burst:
                state[2] += 1
                return False
            state[1] += 1
            return True


LIMIT = RateLimit()


def install(names: tuple[str, ...] = CLIENT_FACING_LOGGERS) -> None:
    """Put the limit on Streamlit's client-facing loggers, every Streamlit logger made so far, and the app's.

    A filter on a logger survives Streamlit's re-creation of its handlers (a configuration change) and its
    level changes. Idempotent.
    """
    from streamlit import logger as streamlit_logger

    loggers = [streamlit_logger.get_logger(name) for name in names]
    loggers += list(streamlit_logger._loggers.values())
    loggers += [logging.getLogger(name) for name in APP_LOGGERS]  # a logger's filter applies to its own records
    for each in loggers:
        if LIMIT not in each.filters:
            each.addFilter(LIMIT)
