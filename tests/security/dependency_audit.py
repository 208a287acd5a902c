"""Audit every pinned dependency (constraints.txt) against the published advisory databases.

``pip-audit`` does the work: against OSV when its API answers, else against PyPI's own advisory data.
PyPI can only answer for a version through its per-version JSON; where that is not available (some
mirrors serve only the project JSON), a pin that is the project's latest release is checked against the
project JSON's ``vulnerabilities``, which PyPI gives for the latest release. Anything still unanswered is
reported as not audited, by name: never silently counted as clean.

``python -m tests.security.dependency_audit`` prints the result and exits 1 on any known vulnerability.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints.txt"
PYPI_JSON = "https://pypi.org/pypi/{name}/json"


@dataclass
class Audit:
    service: str
    vulnerable: list[tuple[str, str, list[str]]] = field(default_factory=list)  # name, version, advisory ids
    audited: list[tuple[str, str]] = field(default_factory=list)
    not_audited: list[tuple[str, str, str]] = field(default_factory=list)  # name, version, why


def pins(path: Path = CONSTRAINTS) -> dict[str, str]:
    """name → version of every ``name==version`` line (normalised names)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[normalise(name)] = version.strip()
    return found


def normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def reachable(host: str) -> bool:
    try:
        socket.getaddrinfo(host, 443)
    except OSError:
        return False
    return True


def audit(path: Path = CONSTRAINTS) -> Audit:
    service = "osv" if reachable("api.osv.dev") else "pypi"
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        str(path),
        "--no-deps",  # constraints.txt is the complete, pinned set (a pip freeze)
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if not done.stdout.strip():
        raise RuntimeError(f"pip-audit gave no report (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout)
    pinned = pins(path)
    result = Audit(service)
    skipped = []
    for dependency in report["dependencies"]:
        name = normalise(dependency["name"])
        version = dependency.get("version") or pinned.get(name, "?")
        if "skip_reason" in dependency:
            skipped.append((name, version))
        elif dependency.get("vulns"):
            result.vulnerable.append((name, version, [v["id"] for v in dependency["vulns"]]))
        else:
            result.audited.append((name, version))
    with ThreadPoolExecutor(max_workers=8) as pool:
        for (name, version), answer in zip(
            skipped, pool.map(lambda nv: _latest_release_check(*nv), skipped), strict=True
        ):
            status, detail = answer
            if status == "vulnerable":
                result.vulnerable.append((name, version, detail))
            elif status == "clean":
                result.audited.append((name, version))
            else:
                result.not_audited.append((name, version, detail))
    return result


def _latest_release_check(name: str, version: str) -> tuple[str, list[str] | str]:
    """Checked through the project JSON, which carries the advisories of the latest release only."""
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=30) as response:
            project = json.load(response)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        return "unknown", f"PyPI did not answer ({exc.__class__.__name__})"
    latest = project["info"]["version"]
    if latest != version:
        return "unknown", f"not the latest release ({latest}), and PyPI's per-version data is unavailable"
    ids = [v.get("id", "?") for v in project.get("vulnerabilities", [])]
    return ("vulnerable", ids) if ids else ("clean", [])


def main() -> int:
    result = audit()
    print(f"Advisory service: {result.service}; audited {len(result.audited)}, not audited {len(result.not_audited)}")
    for name, version, ids in result.vulnerable:
        print(f"VULNERABLE {name}=={version}: {', '.join(ids)}")
    for name, version, why in result.not_audited:
        print(f"not audited {name}=={version}: {why}")
    return 1 if result.vulnerable or not result.audited else 0


if __name__ == "__main__":
    sys.exit(main())
