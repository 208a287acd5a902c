"""docs/BENCHMARKS.md is written by several benchmarks: each owns a marked section and rewrites only that."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "BENCHMARKS.md"
_SECTION = re.compile(r"<!-- section:(?P<name>[a-z0-9-]+) -->\n.*?<!-- /section:(?P=name) -->\n", re.DOTALL)


def sections(text: str) -> dict[str, str]:
    """The marked sections of a report, by name, markers included."""
    return {m.group("name"): m.group(0) for m in _SECTION.finditer(text)}


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section ``name`` in the report, leaving everything else as it is."""
    block = f"<!-- section:{name} -->\n{markdown.rstrip()}\n<!-- /section:{name} -->\n"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    existing = sections(text)
    text = text.replace(existing[name], block) if name in existing else text.rstrip("\n") + "\n\n" + block
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")


def keep_sections(new_text: str) -> str:
    """``new_text`` (a whole report) with the marked sections of the current report appended unchanged."""
    kept = sections(REPORT.read_text(encoding="utf-8")) if REPORT.exists() else {}
    missing = [block for name, block in kept.items() if name not in sections(new_text)]
    return new_text.rstrip("\n") + ("\n\n" + "\n".join(missing) if missing else "\n")


def run_in_fresh_process(module: str, *args: str) -> dict:
    """``python -m module args`` in a new process (cold imports, no cache shared with other runs): the figures it
    prints as JSON on its last line, plus ``whole``, the whole process's wall time as seen from here."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    whole = time.perf_counter() - start
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "whole": whole}


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` by nearest rank (no interpolation); NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
