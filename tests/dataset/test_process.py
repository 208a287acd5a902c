"""The one liveness check behind removing a killed writer's leftovers (the ETL's staging files, the site's
staging folders): a running process is alive, one that has exited and been reaped is not."""

from __future__ import annotations

import os
import subprocess
import sys

from dataset.process import alive


def test_a_running_process_is_alive_and_an_exited_one_is_not():
    assert alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its id names no process now
    assert not alive(child.pid)


def test_someone_elses_process_counts_as_alive():
    assert alive(1)  # process 1 always exists; an unprivileged user may not signal it, which still means alive
