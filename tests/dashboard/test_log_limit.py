"""Log lines a client can cause are written at most a few times a minute per kind (dashboard/log_limit.py)."""

from __future__ import annotations

import logging

from dashboard import log_limit


def _record(msg: str, name: str = "streamlit.web.server.starlette.starlette_websocket") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, None, None)


def test_each_kind_is_written_a_few_times_a_window_then_counted():
    now = [0.0]
    limit = log_limit.RateLimit(burst=3, window=60, clock=lambda: now[0])
    kept = [limit.filter(_record("Client tried to shut down runtime")) for _ in range(10)]
    assert kept == [True] * 3 + [False] * 7
    assert limit.filter(_record("another kind of line"))  # kinds are limited separately
    now[0] = 61.0
    first = _record("Client tried to shut down runtime")
    assert limit.filter(first)
    assert "[7 more like this were left out of the log]" in first.getMessage()


def test_the_limit_is_on_streamlits_client_facing_loggers_and_survives_a_new_handler():
    from streamlit import logger as streamlit_logger

    log_limit.install()
    log_limit.install()  # idempotent
    websocket = streamlit_logger.get_logger("streamlit.web.server.starlette.starlette_websocket")
    assert websocket.filters.count(log_limit.LIMIT) == 1
    streamlit_logger.setup_formatter(websocket)  # what a configuration change does to its handlers
    assert log_limit.LIMIT in websocket.filters
    assert log_limit.LIMIT in logging.getLogger("dashboard.protocol").filters


def test_kinds_beyond_the_memory_share_one_allowance(monkeypatch):
    monkeypatch.setattr(log_limit, "MAX_KINDS", 5)
    limit = log_limit.RateLimit(burst=2, window=60, clock=lambda: 0.0)
    results = [limit.filter(_record(f"formatted line {i}")) for i in range(20)]
    assert sum(results) == 5 + 2  # five kinds remembered, then the shared allowance
