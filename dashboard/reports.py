"""Readers' reports ("Report an error or send a figure"): where they go, and the bounded queue file.

Where a report goes is a deployment setting, ``DASHBOARD_REPORTS``:

- ``queue`` (the default): the form appends one JSON line to ``DASHBOARD_REPORTS_QUEUE``
  (default ``reports/queue.jsonl``) for the maintainers to read;
- ``mailto:<address>``: the block offers an e-mail prefilled with the chart, the dataset version and the link;
- an ``https://`` address (an issue form, e.g. ``https://github.com/<owner>/<repo>/issues/new``): the same,
  as a new issue with ``title`` and ``body`` filled in;
- ``off``: no report control.

A line holds what the sender typed (cut to ``MAX_MESSAGE`` and ``MAX_FIGURE`` characters, control characters
removed), the chart, the page's link (its filters only), the dataset version, the language and the UTC minute:
no address, session, browser or cookie. One client cannot fill the disk or slow the app: the file stops growing
at ``DASHBOARD_REPORTS_MAX_BYTES`` (new reports are then refused with a message, nothing is overwritten), each
process accepts at most ``PER_MINUTE`` reports a minute whoever sends them, a session at most ``PER_SESSION``,
and writing one is one short append under a lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

MAX_MESSAGE = 2000  # characters of the report itself
MAX_FIGURE = 300  # characters of "the figure and where it is published"
PER_MINUTE = 20  # reports one process accepts a minute, from everyone
PER_SESSION = 5  # reports one page session may send
DEFAULT_QUEUE = "reports/queue.jsonl"
DEFAULT_MAX_BYTES = 5_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Setting:
    mode: str  # "queue", "mailto", "link" or "off"
    target: str  # the queue file, the e-mail address or the issue form's address


def setting(environ: dict[str, str] | None = None) -> Setting:
    """The deployment's choice (``DASHBOARD_REPORTS``); anything not understood is refused by name."""
    env = os.environ if environ is None else environ
    value = env.get("DASHBOARD_REPORTS", "queue").strip()
    if value in ("", "queue"):
        return Setting("queue", env.get("DASHBOARD_REPORTS_QUEUE", DEFAULT_QUEUE))
    if value == "off":
        return Setting("off", "")
    if value.startswith("mailto:") and re.fullmatch(r"mailto:[^\s@?&]+@[^\s@?&]+", value):
        return Setting("mailto", value.removeprefix("mailto:"))
    if re.fullmatch(r"https://[^\s?#]+", value):
        return Setting("link", value)
    raise ValueError(
        f"DASHBOARD_REPORTS={value!r}: expected queue, off, mailto:<address> or an https:// address of an issue form"
    )


def max_bytes(environ: dict[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    return int(env.get("DASHBOARD_REPORTS_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean(text: str, limit: int) -> str:
    """What the sender typed, without control or direction-changing characters, cut to ``limit`` characters."""
    return _CONTROL.sub("", text.replace("\r\n", "\n")).strip()[:limit]


def prefilled(target: Setting, title: str, body: str) -> str:
    """The e-mail or issue-form address with the report's title and body filled in."""
    if target.mode == "mailto":
        return f"mailto:{target.target}?" + urlencode({"subject": title, "body": body}, quote_via=quote)
    return target.target + "?" + urlencode({"title": title, "body": body}, quote_via=quote)


class Queue:
    """The JSON-lines queue file: bounded in size and in reports a minute, appended to under a lock."""

    def __init__(self, path: Path, limit_bytes: int, per_minute: int = PER_MINUTE) -> None:
        self.path, self.limit_bytes, self.per_minute = path, limit_bytes, per_minute
        self._lock = threading.Lock()
        self._recent: list[float] = []

    def add(self, report: dict[str, str]) -> str:
        """Append one report; returns "saved", "busy" (too many this minute) or "full" (the file is at its size)."""
        line = (json.dumps(report, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            now = time.monotonic()
            self._recent = [t for t in self._recent if now - t < 60]
            if len(self._recent) >= self.per_minute:
                return "busy"
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)  # several replicas may share the file
                try:
                    if handle.seek(0, os.SEEK_END) + len(line) > self.limit_bytes:
                        return "full"
                    handle.write(line)
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            self._recent.append(now)
            return "saved"


def report(chart_id: str, version: str, lang: str, link: str, message: str, figure: str) -> dict[str, str]:
    """One queue line: what the sender typed and which chart, release and view it is about; nothing else."""
    return {
        "received": datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "chart": chart_id,
        "dataset_version": version,
        "lang": lang,
        "link": link[:1000],
        "message": clean(message, MAX_MESSAGE),
        "figure": clean(figure, MAX_FIGURE),
    }
