"""Serve the dashboard: ``streamlit run dashboard/app.py`` with the app's protocol guards in place from the start.

``python -m dashboard.serve [Streamlit options]``, e.g. ``--server.port 8601 --server.address 127.0.0.1``.
``make run``, ``make demo``, the replicas of ``make serve-prod`` and the load benchmarks start the server this
way. The guards (``dashboard/protocol.py``) then hold before the first client connects, and a websocket that
sends a message the app never serves is closed at once. A plain ``streamlit run dashboard/app.py`` also works:
it gets the guards with its first page run, but the websocket is not closed, only the message ignored.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    sys.path.insert(0, str(APP.parent.parent))
    from streamlit.web import cli

    from dashboard import protocol

    protocol.install(before_server_start=True)
    cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
