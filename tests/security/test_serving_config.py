"""The serving configuration Streamlit actually uses, read back after it parses the repo's config.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit import config

ROOT = Path(__file__).resolve().parents[2]

#: option → the value a public deployment must run with.
HARDENED = {
    "browser.gatherUsageStats": False,  # no usage statistics leave the server or the reader's browser
    "client.showErrorDetails": "none",  # no traceback, path or SQL in the browser
    "client.showErrorLinks": False,
    "client.toolbarMode": "viewer",  # no developer menu (rerun, clear cache, settings)
    "server.headless": True,
    "server.runOnSave": False,  # production never reruns on a file change
    "server.allowRunOnSave": False,
    "server.fileWatcherType": "none",
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.enableStaticServing": False,  # nothing served from a static folder
    "server.enableAgentApi": False,
    "server.enableWebsocketCompression": False,
    "server.maxUploadSize": 0,  # any file refused: the app has no uploader
    "server.address": "localhost",  # a plain `streamlit run` is not reachable from other machines
    "client.allowedOrigins": [],  # no other site may send a framed app host messages
    "server.maxWidgetStateSize": 1,
    "global.developmentMode": False,
    "runner.postScriptGC": False,  # a full collection after every run cost more CPU than the page under load
    "secrets.files": [],  # no secrets read, no secrets file polled
}


@pytest.fixture
def effective_options(monkeypatch):
    """Streamlit's options as `streamlit run` started in the repo root would see them."""
    for name in list(os.environ):
        if name.startswith("STREAMLIT_"):
            monkeypatch.delenv(name)  # the repo's file is under test, not this shell's overrides
    monkeypatch.chdir(ROOT)
    options = config.get_config_options(force_reparse=True)
    yield options
    monkeypatch.undo()
    config.get_config_options(force_reparse=True)


@pytest.mark.parametrize("option", list(HARDENED))
def test_hardening_option_is_in_effect(effective_options, option):
    assert config.get_option(option) == HARDENED[option]
    if option != "global.developmentMode":  # developmentMode is off by default; the others must be set here
        where = effective_options[option].where_defined
        assert Path(where) == ROOT / ".streamlit" / "config.toml", f"{option} comes from {where}"


def test_no_trusted_identity_headers_or_cors_exceptions(effective_options):
    assert config.get_option("server.trustedUserHeaders") == {}
    assert config.get_option("server.corsAllowedOrigins") == []
    assert config.get_option("server.unsafeMetricsUserAttributes") == []


def test_streamlit_config_show_agrees(effective_options, tmp_path):
    """`streamlit config show`, run as a separate process from the repo root, reports the same values."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT,
        env={**env, "HOME": str(tmp_path)},  # no personal ~/.streamlit/config.toml
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    section, values = None, {}
    for line in shown.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[f"{section}.{key.strip()}"] = value.strip()
    for option, expected in HARDENED.items():
        if effective_options[option].visibility == "hidden" or option == "global.developmentMode":
            continue  # `config show` lists only visible options that differ from the default
        if isinstance(expected, bool):
            literal = "true" if expected else "false"
        else:
            literal = f'"{expected}"' if isinstance(expected, str) else str(expected)
        assert values.get(option) == literal, option
