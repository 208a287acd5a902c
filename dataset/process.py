"""Whether the process that wrote a leftover is still running.

The ETL (``etl/publish.py``) and the static site (``dashboard/site/build.py``) both write under a hidden name
that carries the writer's process id, and both remove what a killed writer left behind: only when that process
is gone, so two writers may share a folder.
"""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """True when a process with this id exists (also someone else's, which we may not signal)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
