"""Dependencies: every one pinned and locked, none with a known vulnerability, Streamlit past its advisories.

The audit needs the network (PyPI, or OSV when it answers): it is marked ``network`` and runs in ``make audit``
(a scheduled job), not in ``make test``. Everything else here runs offline, in ``make test``.
"""

from __future__ import annotations

import warnings
from importlib import metadata

import pytest
from packaging.version import Version

from tests.security.dependency_audit import CONSTRAINTS, ROOT, audit, normalise, pins

#: Streamlit's published advisories (PyPA advisory database / GitHub advisories) and the first fixed version.
STREAMLIT_ADVISORIES = {
    "PYSEC-2022-248 / CVE-2022-35918 (custom component path traversal)": "1.11.1",
    "PYSEC-2023-50 / CVE-2023-27494 (cross-site scripting)": "1.20.0",
    "GHSA-8qw9-gf7w-42x5 (path traversal, follow-up)": "1.30.0",
    "PYSEC-2024-153 / CVE-2024-42474 (static files path traversal, Windows)": "1.37.0",
    "PYSEC-2026-212 / CVE-2026-10804 (weak hash in caching)": "1.53.1",
    "PYSEC-2026-2285 / CVE-2026-33682 (SSRF through component paths, Windows)": "1.54.0",
}


def _requirements() -> dict[str, str]:
    found = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line:
                assert "==" in line and not any(c in line for c in "<>~!*"), f"{name}: {line!r} is not an exact pin"
                package, _, version = line.partition("==")
                found[normalise(package)] = version
    return found


def test_every_requirement_is_pinned_and_locked_at_the_same_version():
    locked = pins()
    for package, version in _requirements().items():
        assert locked.get(package) == version, f"{package}=={version} is not in constraints.txt at that version"


def test_the_environment_runs_the_locked_versions():
    for package, version in pins().items():
        assert metadata.version(package) == version, f"{package}: installed {metadata.version(package)}"


def test_streamlit_is_past_every_published_advisory():
    version = Version(pins(CONSTRAINTS)["streamlit"])
    for advisory, fixed in STREAMLIT_ADVISORIES.items():
        assert version >= Version(fixed), f"streamlit {version} is affected by {advisory}"


@pytest.mark.network
def test_no_locked_dependency_has_a_known_vulnerability():
    try:
        result = audit()
    except RuntimeError as exc:
        pytest.fail(f"the audit could not run: {exc}")
    assert result.vulnerable == [], f"known vulnerabilities: {result.vulnerable}"
    assert len(result.audited) >= len(pins()) // 2, (
        f"the advisory service answered for only {len(result.audited)} of {len(pins())} pins: {result.not_audited[:5]}"
    )
    if result.not_audited:
        warnings.warn(
            "not audited: " + "; ".join(f"{n}=={v} ({why})" for n, v, why in result.not_audited), stacklevel=1
        )
