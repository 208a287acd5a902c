"""nginx in front of two replicas, over HTTP: headers, caching, gzip, release files, websocket, affinity, TLS."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.request
from dataclasses import replace

import pytest
from websockets.sync.client import connect

from deploy.render import AFFINITY_COOKIE, Settings, build_parser, embeddable_chart_ids, render, write
from etl.publish import current_database
from tests.deploy.conftest import ROOT, free_ports, http_get


def csp(headers: dict) -> dict[str, str]:
    return {d.split()[0]: d for d in (part.strip() for part in headers["content-security-policy"].split(";")) if d}


def test_pages_carry_the_security_headers_and_no_hsts_over_plain_http(stack):
    status, headers, body = http_get(stack.url + "/requests")
    assert status == 200 and b'<div id="root">' in body
    policy = csp(headers)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'self'"
    assert policy["connect-src"] == "connect-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in headers  # only behind TLS
    assert headers["server"] == "nginx"  # no version


def test_the_csp_hash_allows_exactly_the_inline_script_streamlit_serves(stack):
    _, headers, body = http_get(stack.url + "/")
    inline = re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", body, flags=re.DOTALL)
    assert inline, "Streamlit's index.html has an inline script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in csp(headers)["script-src"]


def test_only_the_embed_path_may_be_framed_by_the_configured_site(stack):
    _, headers, _ = http_get(stack.url + "/embed?chart=ledger&embed=true")
    assert csp(headers)["frame-ancestors"] == f"frame-ancestors {stack.embedding_site}"
    assert "x-frame-options" not in headers
    for path in ("/", "/overview", "/embed/x", "/embedded"):
        _, headers, _ = http_get(stack.url + path)
        assert csp(headers)["frame-ancestors"] == "frame-ancestors 'self'", path


def test_static_assets_are_gzipped_and_cached_for_good_pages_are_revalidated(stack):
    _, page_headers, body = http_get(stack.url + "/", {"Accept-Encoding": "gzip"})
    assert page_headers["cache-control"] == "no-cache"
    bundle = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', body).group(1).decode()
    status, headers, _ = http_get(f"{stack.url}/{bundle}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"


def test_release_files_are_served_by_nginx_immutable_and_compressed(stack):
    version = current_database(stack.data_dir).stem.removeprefix("dataset-")
    status, headers, body = http_get(f"{stack.url}/releases/{version}/datapackage.json", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    assert headers["content-type"].startswith("application/json")
    status, headers, body = http_get(f"{stack.url}/releases/dataset-{version}.zip")
    assert status == 200 and body[:2] == b"PK"
    assert headers["content-type"] == "application/zip"
    assert body == (stack.data_dir / "releases" / f"dataset-{version}.zip").read_bytes()
    assert "immutable" in headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    ["/releases/", "/releases/../LATEST", "/releases/%2e%2e/LATEST", "/LATEST", "/releases/.partial/x.csv"]
    + ["/releases/dataset-0123456789ab.zip.tmp"],
)
def test_nothing_but_the_release_files_is_served_from_the_published_folder(stack, path):
    (stack.data_dir / "releases" / ".partial").mkdir(exist_ok=True)
    (stack.data_dir / "releases" / ".partial" / "x.csv").write_text("dataset-being-written")
    (stack.data_dir / "releases" / "dataset-0123456789ab.zip.tmp").write_text("dataset-being-written")
    status, _, body = http_get(stack.url + path)
    assert b"dataset-" not in body or status != 200, path  # neither the pointer nor a listing
    if path == "/releases/":
        assert status in (403, 404)


def test_release_files_refuse_other_methods(stack):
    request = urllib.request.Request(stack.url + "/releases/x", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 403


def test_the_websocket_upgrade_goes_through_the_proxy(stack):
    with connect(
        stack.url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"], open_timeout=10
    ) as ws:
        assert ws.response.status_code == 101
        assert ws.response.headers["Upgrade"].lower() == "websocket"


def test_the_first_response_sets_an_affinity_cookie_and_a_cookie_keeps_one_replica(stack):
    _, headers, _ = http_get(stack.url + "/_stcore/health")
    cookie = re.search(rf"^{AFFINITY_COOKIE}=(\w+); Path=/; HttpOnly; SameSite=Lax$", headers["set-cookie"], re.M)
    assert cookie, headers["set-cookie"]
    _, headers, _ = http_get(stack.url + "/_stcore/health", {"Cookie": f"{AFFINITY_COOKIE}={cookie.group(1)}"})
    assert AFFINITY_COOKIE not in headers.get("set-cookie", "")  # set once
    keys = [f"affinity-probe-{i:02d}" for i in range(24)]
    for key in keys:
        for _ in range(3):
            http_get(stack.url + f"/_stcore/host-config?probe={key}", {"Cookie": f"{AFFINITY_COOKIE}={key}"})
    upstream: dict[str, set[str]] = {}
    for line in stack.access_log():
        probe = re.search(r"probe=(affinity-probe-\d+).* upstream=(.+?) rt=", line)
        if probe:
            upstream.setdefault(probe.group(1), set()).add(probe.group(2))
    assert set(upstream) == set(keys)
    assert all(len(replicas) == 1 for replicas in upstream.values()), upstream  # one browser, one replica
    used = set().union(*upstream.values())
    assert used == {f"127.0.0.1:{port}" for port in stack.replica_ports}  # and browsers spread over both


def test_a_client_without_cookies_is_routed_per_request_over_both_replicas(stack):
    for _ in range(24):
        _, headers, _ = http_get(stack.url + "/_stcore/host-config?probe=cookieless")
        assert AFFINITY_COOKIE in headers["set-cookie"]  # offered every time, never kept by this client
    replicas = {
        re.search(r"upstream=(.+?) rt=", line).group(1) for line in stack.access_log() if "probe=cookieless" in line
    }
    assert replicas == {f"127.0.0.1:{port}" for port in stack.replica_ports}


def test_the_rendered_nginx_configuration_is_valid_and_every_template_token_filled(stack, nginx_binary, tmp_path):
    settings = replace(stack.settings, run_dir=tmp_path / "run")
    write(settings)
    result = subprocess.run(
        [nginx_binary, "-t", "-p", f"{settings.run_dir}/", "-c", str(settings.run_dir / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for text in render(settings).values():
        assert not re.search(r"@[A-Z_]+@", text)


@pytest.mark.parametrize("bad", ["*; script-src *", 'x" always; add_header', "", "https://a.example,https://b"])
def test_an_embed_setting_that_could_break_out_of_the_header_is_refused(bad):
    with pytest.raises(ValueError):
        render(Settings(embed_frame_ancestors=bad, nginx="nginx"))


def test_behind_tls_nginx_sends_hsts_and_redirects_plain_http(stack, nginx_binary, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed; the TLS check needs a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    tls_port, http_port = free_ports(2)
    settings = replace(
        stack.settings,
        run_dir=tmp_path / "run",
        listen=f"127.0.0.1:{tls_port}",
        http_redirect_listen=f"127.0.0.1:{http_port}",
        tls_cert=cert,
        tls_key=key,
    )
    write(settings)
    nginx = subprocess.Popen(
        [nginx_binary, "-p", f"{settings.run_dir}/", "-c", str(settings.run_dir / "nginx.conf"), "-e", "stderr"],
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(tls_port)
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        with urllib.request.urlopen(f"https://127.0.0.1:{tls_port}/_stcore/health", context=context) as response:
            assert response.read() == b"ok"
            assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
            cookies = response.headers.get_all("Set-Cookie")
            assert any(c.startswith(f"{AFFINITY_COOKIE}=") for c in cookies), cookies
            assert all(c.lower().replace(" ", "").count(";secure") == 1 for c in cookies), cookies  # Streamlit's too
        status, headers, _ = http_get(f"http://127.0.0.1:{http_port}/overview")
        assert status == 301 and headers["location"].startswith("https://127.0.0.1")
        challenge = settings.run_dir / "acme" / ".well-known" / "acme-challenge" / "token-1"
        challenge.write_text("token-1.key")  # what certbot --webroot writes; the CA fetches it over plain HTTP
        assert http_get(f"http://127.0.0.1:{http_port}/.well-known/acme-challenge/token-1")[::2] == (
            200,
            b"token-1.key",
        )
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}")


def test_every_setting_of_the_renderer_is_documented():
    documented = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    flags = [s for a in build_parser()._actions for s in a.option_strings if s.startswith("--")]
    undocumented = [f for f in flags if f"`{f}`" not in documented and f not in ("--help", "--run")]
    assert flags and undocumented == []


def test_the_shipped_timers_are_the_documented_ones():
    """The deployment tests run with short timers; what ships is 15 s to read, 15 s per health check, 10 s to stop."""
    rendered = render(Settings(nginx="nginx"))
    assert "proxy_read_timeout 15s;" in rendered["nginx.conf"]
    supervisor = rendered["supervisord.conf"]
    assert supervisor.count("stopwaitsecs=10\n") == 1 + Settings().replicas  # nginx and each replica
    assert supervisor.count(" -t 15 http://127.0.0.1:") == Settings().replicas
    assert supervisor.count("-m deploy.health --start-grace 60 ") == Settings().replicas


class _Supervisor:
    """supervisord's XML-RPC interface as the health check uses it: what it was asked to stop and start."""

    def __init__(self, specs):
        self.specs, self.asked = specs, []

    def getAllProcessInfo(self):  # noqa: N802 (supervisord's name)
        return self.specs

    def stopProcess(self, name):  # noqa: N802
        self.asked.append(("stop", name))

    def startProcess(self, name):  # noqa: N802
        self.asked.append(("start", name))


@pytest.mark.parametrize(("age", "restarted"), [(5, False), (59, False), (60, True), (3600, True)])
def test_a_replica_still_starting_is_not_restarted_by_its_health_check(age, restarted):
    """On a busy machine a replica may take longer to listen than the health check waits; restarting it then
    starts it over, again and again (seen as a deployment that never came up). In its first 60 s it is left."""
    import io

    from supervisor.states import ProcessStates

    from deploy import health

    spec = {"name": "app-0", "group": "replicas", "state": ProcessStates.RUNNING, "pid": 42, "start": 1000}
    supervisor = _Supervisor([{**spec, "now": 1000 + age}])
    check = health._Patient(
        type("Rpc", (), {"supervisor": supervisor})(),
        ["replicas:app-0"],
        False,
        "http://127.0.0.1:1/_stcore/health",
        15,
        [200],
        None,
        None,
        None,
        None,
        None,
        True,
        1,
        None,
    )
    check.stderr = io.StringIO()
    check.act("health", "error contacting the replica")
    assert supervisor.asked == ([("stop", "replicas:app-0"), ("start", "replicas:app-0")] if restarted else [])
    log = check.stderr.getvalue()
    assert ("is in RUNNING state, restarting" in log) is restarted
    assert ("within its start grace: not restarted" in log) is not restarted


def test_only_the_registry_s_embeddable_charts_may_be_framed():
    """The renderer reads the ids from dashboard/registry.py's syntax tree; they are the registry's own."""
    from dashboard import registry

    assert embeddable_chart_ids() == [i for i, chart in registry.CHARTS.items() if chart.embeddable]
