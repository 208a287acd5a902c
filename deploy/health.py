"""A replica's health check: superlance's ``httpok``, which restarts a replica that stops answering, except in
its first seconds after a start.

supervisord counts a replica as started (RUNNING) five seconds after it is spawned, and ``httpok`` restarts a
RUNNING replica whose health address does not answer within its timeout. A replica that takes longer than that to
import and listen, as it does on a busy machine, was restarted before it could answer, again and again, and never
served. Here a replica younger than ``--start-grace`` seconds is left to finish starting (the check says so in its
log); a replica that hangs later is restarted as before.

Run by supervisord (``deploy/render.py``): ``python -m deploy.health --start-grace 60 <httpok's options> URL``.
"""

from __future__ import annotations

import sys

from superlance import httpok
from supervisor.states import ProcessStates

from deploy.render import Settings


class _Patient(httpok.HTTPOk):
    start_grace = Settings.start_grace  # seconds after a start in which a replica is not restarted

    def restart(self, spec, write):
        age = spec["now"] - spec["start"]
        if spec["state"] == ProcessStates.RUNNING and age < self.start_grace:
            write(f"{spec['group']}:{spec['name']} started {age} s ago, within its start grace: not restarted")
            return
        super().restart(spec, write)


def main(argv: list[str]) -> None:
    args = list(argv[1:])
    if args[:1] == ["--start-grace"]:
        _Patient.start_grace = int(args[1])
        args = args[2:]
    httpok.HTTPOk = _Patient  # httpok.main builds its checker from this name
    httpok.main([argv[0], *args])


if __name__ == "__main__":
    main(sys.argv)
