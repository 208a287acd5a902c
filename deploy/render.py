"""Render the nginx and supervisord configuration of a one-machine deployment, and optionally run it.

``python -m deploy.render --run-dir DIR --replicas N`` fills in ``deploy/nginx.conf.in`` and
``deploy/supervisord.conf.in`` and writes them, with empty log and temp folders, into DIR;
``--run`` then starts supervisord in the foreground (nginx, the replicas, a health check per replica).
Everything runs as the user who starts it. Settings also come from the environment (see ``Settings``).
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent
PROJECT_DIR = DEPLOY_DIR.parent
AFFINITY_COOKIE = "dashboard_replica"
HEALTH_PATH = "/_stcore/health"


@dataclass
class Settings:
    run_dir: Path = DEPLOY_DIR / "run"
    replicas: int = 2
    listen: str = "127.0.0.1:8080"  # address:port nginx listens on
    first_replica_port: int = 8601  # replicas on 127.0.0.1:first, first+1, ...
    replica_ports: list[int] = field(default_factory=list)  # or exactly these ports
    data_dir: Path = PROJECT_DIR / "published"  # DASHBOARD_DATA_DIR: the published folder every replica reads
    embed_frame_ancestors: str = "*"  # CSP frame-ancestors of /embed, e.g. "https://*.dawn.com https://tribune.com.pk"
    tls_cert: Path | None = None  # with tls_key: nginx terminates TLS, redirects plain HTTP, sends HSTS
    tls_key: Path | None = None
    http_redirect_listen: str = ""  # where plain HTTP is redirected to HTTPS (with TLS; default: port 80 of listen)
    hsts: bool = False  # send HSTS although nginx itself speaks plain HTTP (TLS ends at a load balancer in front)
    nginx_user: str = ""  # worker user when started as root (e.g. www-data); must be able to read data_dir
    workers: str = "auto"
    health_timeout: int = 15  # seconds /_stcore/health may take before the replica is restarted
    start_grace: int = 60  # seconds after a start in which a replica still starting up is not restarted
    proxy_read_timeout: int = 15  # seconds nginx waits for a replica's answer before passing it over
    stop_wait: int = 10  # seconds supervisord waits after SIGTERM (nginx: SIGQUIT) before SIGKILL
    # Limits per client address (docs/DEPLOY.md, "Limits per client"): one replica holds about 25 sessions
    sessions_per_client: int = 25  # open websockets (sessions); also the burst of new ones
    session_opens_per_minute: int = 60  # new websockets a minute, after that burst
    downloads_per_minute: int = 120  # download-button files (/media/) a minute ...
    downloads_burst: int = 60  # ... after a burst of this many
    release_downloads_per_client: int = 4  # release files (/releases/) at once
    python: str = sys.executable
    nginx: str = ""

    def ports(self) -> list[int]:
        return self.replica_ports or [self.first_replica_port + i for i in range(self.replicas)]

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None and self.tls_key is not None


def find_nginx() -> str | None:
    """Debian installs nginx in /usr/sbin, which is not on every user's PATH."""
    return shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"]))


def streamlit_inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts in the installed Streamlit's index.html (one today)."""
    import streamlit

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, flags=re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts]


def embeddable_chart_ids() -> list[str]:
    """The ids of the embeddable ``ChartDef("<id>", …)`` entries in dashboard/registry.py, read from its syntax
    tree (without importing the app): only ``/embed?chart=<one of these>`` may be framed by other sites."""
    tree = ast.parse((PROJECT_DIR / "dashboard" / "registry.py").read_text(encoding="utf-8"))
    ids = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "ChartDef"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and not any(
            k.arg == "embeddable" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        )
    ]
    if not ids or not all(isinstance(i, str) and re.fullmatch(r"[a-z0-9-]+", i) for i in ids):
        raise ValueError(f"unexpected embeddable chart ids: {ids!r}")
    return ids


def _positive(value: int) -> int:
    if int(value) < 1:
        raise ValueError(f"a limit must be at least 1: {value!r}")
    return int(value)


def render(settings: Settings) -> dict[str, str]:
    """The rendered files, by name inside the run folder."""
    run_dir, ports = settings.run_dir.resolve(), settings.ports()
    nginx = settings.nginx or find_nginx() or "nginx"
    bin_dir = Path(settings.python).parent
    names = [f"app-{i}" for i in range(len(ports))]
    upstream = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)
    host = settings.listen.rsplit(":", 1)[0] if ":" in settings.listen else ""
    redirect = settings.http_redirect_listen or (f"{host}:80" if host else "80")
    acme = run_dir / "acme"
    common = {"RUN_DIR": str(run_dir), "PROJECT_DIR": str(PROJECT_DIR)}
    nginx_conf = _fill(
        (DEPLOY_DIR / "nginx.conf.in").read_text(encoding="utf-8"),
        {
            **common,
            "WORKERS": settings.workers,
            "USER_DIRECTIVE": f"user {settings.nginx_user};" if settings.nginx_user else "",
            "AFFINITY_COOKIE": AFFINITY_COOKIE,
            "COOKIE_SECURE": "; Secure" if settings.tls or settings.hsts else "",
            "EMBED_FRAME_ANCESTORS": _csp_source_list(settings.embed_frame_ancestors),
            "UPSTREAM_SERVERS": upstream,
            "LISTEN": settings.listen,
            "LISTEN_TLS": " ssl" if settings.tls else "",
            "TLS_DIRECTIVES": (
                f"        ssl_certificate {settings.tls_cert};\n        ssl_certificate_key {settings.tls_key};\n"
                "        ssl_protocols TLSv1.2 TLSv1.3;\n        ssl_session_cache shared:TLS:10m;\n"
                if settings.tls
                else ""
            ),
            "HTTP_REDIRECT_SERVER": (
                f"    server {{\n        listen {redirect};\n"
                f"        location /.well-known/acme-challenge/ {{\n            root {acme};\n        }}\n"
                "        location / {\n            return 301 https://$host$request_uri;\n        }\n    }\n"
                if settings.tls
                else ""
            ),
            "ACME_WEBROOT": str(acme),
            "HSTS_HEADER": (
                '        add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;\n'
                if settings.tls or settings.hsts
                else ""
            ),
            "PROXY_COOKIE_FLAGS": (  # Streamlit cannot know it is served over TLS: mark its cookies Secure
                "        proxy_cookie_flags ~ secure;\n" if settings.tls or settings.hsts else ""
            ),
            "SCRIPT_HASHES": " ".join(streamlit_inline_script_hashes()),
            "EMBED_CHART_IDS": "|".join(embeddable_chart_ids()),
            "SESSIONS_PER_CLIENT": str(_positive(settings.sessions_per_client)),
            "SESSION_OPENS_PER_MINUTE": str(_positive(settings.session_opens_per_minute)),
            "DOWNLOADS_PER_MINUTE": str(_positive(settings.downloads_per_minute)),
            "DOWNLOADS_BURST": str(_positive(settings.downloads_burst)),
            "RELEASE_DOWNLOADS_PER_CLIENT": str(_positive(settings.release_downloads_per_client)),
            "PROXY_READ_TIMEOUT": str(_positive(settings.proxy_read_timeout)),
            "DATA_DIR": str(Path(settings.data_dir).resolve()),
        },
    )
    programs = "\n".join(
        _replica_program(name, port, settings, run_dir, bin_dir) for name, port in zip(names, ports, strict=True)
    )
    supervisor_conf = _fill(
        (DEPLOY_DIR / "supervisord.conf.in").read_text(encoding="utf-8"),
        {
            **common,
            "NGINX": nginx,
            "REPLICA_PROGRAMS": programs,
            "REPLICA_NAMES": ",".join(names),
            "STOP_WAIT": str(_positive(settings.stop_wait)),
        },
    )
    return {"nginx.conf": nginx_conf, "supervisord.conf": supervisor_conf}


def write(settings: Settings) -> Path:
    """Render into the run folder, with the log and temp folders nginx and supervisord expect."""
    run_dir = settings.run_dir.resolve()
    for sub in ("logs", "tmp", "acme/.well-known/acme-challenge"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    for name, text in render(settings).items():
        (run_dir / name).write_text(text, encoding="utf-8")
    return run_dir / "supervisord.conf"


#: Limits per client address: setting → environment variable.
LIMITS = {
    "sessions_per_client": "LIMIT_SESSIONS_PER_CLIENT",
    "session_opens_per_minute": "LIMIT_SESSION_OPENS_PER_MINUTE",
    "downloads_per_minute": "LIMIT_DOWNLOADS_PER_MINUTE",
    "downloads_burst": "LIMIT_DOWNLOADS_BURST",
    "release_downloads_per_client": "LIMIT_RELEASE_DOWNLOADS_PER_CLIENT",
}

# Each page run is its own thread; glibc gives threads their own memory arenas (up to 8 per core), which keep
# freed memory for reuse and leave a replica well above its idle size after a busy spell. Two arenas keep it
# within about a fifth of idle after 50 sessions close (docs/BENCHMARKS.md, load section).
SERVER_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2"}


def _replica_program(name: str, port: int, settings: Settings, run_dir: Path, bin_dir: Path) -> str:
    data_dir = _supervisor_escape(str(Path(settings.data_dir).resolve()))
    return f"""[program:{name}]
command={settings.python} -m dashboard.serve --server.address 127.0.0.1 --server.port {port}
directory={PROJECT_DIR}
environment=DASHBOARD_DATA_DIR="{data_dir}",PYTHONUNBUFFERED="1",{",".join(f'{k}="{v}"' for k, v in SERVER_ENVIRONMENT.items())}
autorestart=true
startsecs=5
startretries=10
stopwaitsecs={_positive(settings.stop_wait)}
redirect_stderr=true
stdout_logfile={run_dir}/logs/{name}.log
stdout_logfile_maxbytes=10MB
stdout_logfile_backups=3

[eventlistener:health-{name}]
command={settings.python} -m deploy.health --start-grace {_positive(settings.start_grace)} -p replicas:{name} -t {settings.health_timeout} http://127.0.0.1:{port}{HEALTH_PATH}
directory={PROJECT_DIR}
events=TICK_5
autorestart=true
stdout_logfile=NONE
stderr_logfile={run_dir}/logs/health-{name}.log
"""


def _fill(template: str, values: dict[str, str]) -> str:
    text = template
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"template tokens without a value: {sorted(set(left))}")
    return text


def _csp_source_list(value: str) -> str:
    """A CSP source list as given, refused if it could break out of the header or the nginx string."""
    if not value.strip() or re.search(r"[;,\"\\\n\r{}$]", value):
        raise ValueError(f"not a CSP source list: {value!r}")
    return " ".join(value.split())


def _supervisor_escape(value: str) -> str:
    if '"' in value:
        raise ValueError(f"cannot pass a path with a double quote to supervisord: {value!r}")
    return value.replace("%", "%%")


def build_parser() -> argparse.ArgumentParser:
    """The command line; every setting also has an environment variable (docs/DEPLOY.md lists both)."""
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-dir", type=Path, default=Path(env.get("DEPLOY_RUN_DIR", DEPLOY_DIR / "run")))
    parser.add_argument("--replicas", type=int, default=int(env.get("REPLICAS", 2)))
    parser.add_argument("--listen", default=env.get("LISTEN", "127.0.0.1:8080"), help="nginx address:port")
    parser.add_argument("--first-replica-port", type=int, default=int(env.get("FIRST_REPLICA_PORT", 8601)))
    parser.add_argument("--replica-ports", default="", help="comma-separated ports instead of a range")
    parser.add_argument("--data-dir", type=Path, default=Path(env.get("DASHBOARD_DATA_DIR", PROJECT_DIR / "published")))
    parser.add_argument(
        "--embed-frame-ancestors",
        default=env.get("EMBED_FRAME_ANCESTORS", "*"),
        help="CSP sources allowed to frame /embed (default *: any site); other paths only this site",
    )
    parser.add_argument("--tls-cert", type=Path, default=env.get("TLS_CERT") or None)
    parser.add_argument("--tls-key", type=Path, default=env.get("TLS_KEY") or None)
    parser.add_argument("--http-redirect-listen", default=env.get("HTTP_REDIRECT_LISTEN", ""))
    parser.add_argument("--hsts", action="store_true", default=bool(env.get("HSTS")), help="TLS ends in front")
    parser.add_argument("--nginx-user", default=env.get("NGINX_USER", ""))
    parser.add_argument("--workers", default=env.get("NGINX_WORKERS", "auto"))
    limits = Settings()
    for name, variable in LIMITS.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=int(env.get(variable, getattr(limits, name)))
        )
    parser.add_argument("--run", action="store_true", help="then start supervisord in the foreground")
    return parser


def parse_args(argv: list[str] | None = None) -> tuple[Settings, bool]:
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    settings = Settings(
        run_dir=args.run_dir,
        replicas=args.replicas,
        listen=args.listen,
        first_replica_port=args.first_replica_port,
        replica_ports=[int(p) for p in args.replica_ports.split(",") if p],
        data_dir=args.data_dir,
        embed_frame_ancestors=args.embed_frame_ancestors,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        http_redirect_listen=args.http_redirect_listen,
        hsts=args.hsts,
        nginx_user=args.nginx_user,
        workers=args.workers,
        **{name: getattr(args, name) for name in LIMITS},
    )
    return settings, args.run


def main(argv: list[str] | None = None) -> None:
    settings, run = parse_args(argv)
    if not find_nginx() and not settings.nginx:
        sys.exit("nginx is not installed: sudo apt-get install nginx")
    conf = write(settings)
    print(f"configuration written to {conf.parent}; nginx on http://{settings.listen}, replicas on {settings.ports()}")
    if run:
        supervisord = str(Path(settings.python).parent / "supervisord")
        os.execv(supervisord, [supervisord, "-n", "-c", str(conf)])


if __name__ == "__main__":
    main()
