"""Refresh source files from their publishers: ``python -m etl fetch SOURCE`` and ``fetch --all``.

Each fetch asks conditionally (If-None-Match / If-Modified-Since from the last fetch), downloads to a staging
file beside the target, checks the length and the checksum, unpacks only the expected members of a zip,
recognises and validates every file's layout, and only then replaces the files (``os.replace``) and their
provenance (retrieved date, URL, sha256, the publisher's version or date where stated). Anything short of
that (an error status, a cut-short body, a damaged zip or one with an unexpected member, a redirect to
another host, a file whose header is not the expected layout) changes nothing and says why.

A key (ACLED's) is read from the environment, sent only in the request, and never printed or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from etl.errors import SourceError
from etl.paths import DATA_DIR
from etl.provenance import provenance_path, sha256_of

TIMEOUT_SECONDS = 120
MAX_BYTES = 2 << 30  # 2 GiB: no source is near this; a larger body is refused, not stored
USER_AGENT = "pakistan-transparency-dashboard-etl (+fetch)"


@dataclass(frozen=True)
class Target:
    """One file a source provides: where it lives under data/, and the layouts it may have."""

    path: str  # relative to the data folder (a private source's: to the folder beside it, ``private/``)
    layouts: tuple[str, ...]
    member: str | None = None  # the zip member it comes from; None: the download itself


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    title: str
    targets: tuple[Target, ...]
    key_env: tuple[str, ...] = ()  # environment variables the request needs (never logged or written)
    query: Callable[[dict[str, str]], dict[str, str]] | None = None  # query parameters from those variables
    private: bool = False  # a user's own download (terms forbid redistribution): kept out of the release
    redirect_hosts: tuple[str, ...] = ()  # other hosts a download may be redirected to (".example.org": any below)

    @property
    def is_zip(self) -> bool:
        return any(t.member for t in self.targets)


GOOGLE_FILES = {
    "google-government-removal-requests.csv": "google_summary",
    "google-government-detailed-removal-requests.csv": "google_detailed",
    "google-government-removal-requests-historical.csv": "google_summary_historical",
    "google-government-detailed-removal-requests-historical.csv": "google_detailed_historical",
}
SOURCES = {
    "google": Source(
        "google",
        "https://storage.googleapis.com/transparencyreport/google-government-removals.zip",
        "Google Transparency Report: government requests to remove content (all four files)",
        tuple(Target(f"sources/google/{name}", (layout,), member=name) for name, layout in GOOGLE_FILES.items()),
    ),
    "ucdp_ged": Source(
        "ucdp_ged",
        "https://data.humdata.org/dataset/ucdp-data-for-pakistan",
        "UCDP GED events in Pakistan, HDX's country file (CC BY 4.0)",
        (Target("sources/events/ucdp_ged_pakistan_1989-2021.csv", ("ucdp_ged",)),),
        redirect_hosts=(".amazonaws.com",),  # HDX serves its resources' files from cloud storage
    ),
    "acled": Source(
        "acled",
        "https://api.acleddata.com/acled/read.csv",
        "ACLED events in Pakistan through ACLED's API, with your own key (rows not redistributed)",
        (Target("acled_pakistan.csv", ("acled_export",)),),
        key_env=("ACLED_API_KEY", "ACLED_EMAIL"),
        query=lambda env: {
            "key": env["ACLED_API_KEY"],
            "email": env["ACLED_EMAIL"],
            "country": "Pakistan",
            "limit": "0",
        },
        private=True,
    ),
}


@dataclass
class FetchResult:
    source: str
    status: str  # "changed", "unchanged", "not modified", "skipped"
    message: str
    files: list[str] = field(default_factory=list)


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same host or one the source names (and never from https to http)."""

    def __init__(self, allowed: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        host = new.hostname or ""
        known = host == old.hostname or any(host.endswith(a) if a.startswith(".") else host == a for a in self.allowed)
        if not known or (old.scheme == "https" and new.scheme != "https"):
            raise SourceError(
                f"the server redirected to another host ({host or 'unknown'}); a download is only followed within "
                "the publisher's own hosts, so nothing was changed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    name: str,
    data_dir: Path = DATA_DIR,
    url: str | None = None,
    env: dict[str, str] | None = None,
    now: datetime | None = None,
) -> FetchResult:
    """Fetch one source (see the module's docstring). Raises SourceError, with nothing changed, on any fault."""
    if name not in SOURCES:
        raise SourceError(f"{name}: not a source that can be fetched ({', '.join(SOURCES)}).")
    source = SOURCES[name]
    env = dict(os.environ if env is None else env)
    missing = [k for k in source.key_env if not env.get(k)]
    if missing:
        return FetchResult(
            name, "skipped", f"{name}: skipped: set {', '.join(missing)} in the environment to fetch it."
        )
    now = now or datetime.now(UTC)
    root = data_dir.parent / "private" if source.private else data_dir  # never in data/, never in a release
    targets = [(t, root / t.path) for t in source.targets]
    first = targets[0][1]
    previous = _read_meta(first)
    address = url or source.url
    request_url = address
    if source.query is not None:
        request_url += ("&" if "?" in address else "?") + urllib.parse.urlencode(source.query(env))
    if name == "ucdp_ged" and "/dataset/" in address:  # HDX's dataset page: its catalogue names the file
        address = request_url = _hdx_resource_url(address)
    for stale in first.parent.glob(f".fetch-{name}-*"):  # what a fetch killed earlier left behind
        shutil.rmtree(stale, ignore_errors=True)
    staging_dir = first.parent / f".fetch-{name}-{os.getpid()}"
    try:
        staging_dir.mkdir(parents=True, exist_ok=True)
        download = staging_dir / "download"
        response = _download(request_url, download, previous.get("fetch", {}), name, source.redirect_hosts)
        checked = now.replace(microsecond=0).isoformat()
        if response is None:
            _mark_checked([p for _, p in targets], checked)
            return FetchResult(name, "not modified", f"{name}: not modified since the last fetch (HTTP 304).")
        staged = _unpack(source, download, staging_dir)
        unchanged = all(p.exists() and sha256_of(staged[t.path]) == sha256_of(p) for t, p in targets)
        if unchanged:
            _mark_checked([p for _, p in targets], checked, response)
            return FetchResult(name, "unchanged", f"{name}: downloaded; identical to the files in data/.")
        metas = [
            _new_meta(t, p, staged[t.path], source, address, response, checked, _check_layout(staged[t.path], t))
            for t, p in targets
        ]
        changed = [
            (target, path, meta)
            for (target, path), meta in zip(targets, metas, strict=True)
            if not path.exists() or meta["sha256"] != sha256_of(path)
        ]
        # Every check passed: each changed file, then its provenance (a crash between the two leaves a checksum
        # the build refuses, never a file it reads under an old record). Files the release left as they were
        # only have the time they were checked moved.
        for target, path, meta in changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            staged_meta = staging_dir / (path.name + ".meta-staged")  # never named *.provenance.json in data/
            _write_json_atomically(staged_meta, meta)
            os.replace(staged[target.path], path)
            os.replace(staged_meta, provenance_path(path))
        _mark_checked([p for t, p in targets if all(p != c[1] for c in changed)], checked, response)
        names = [path.name for _, path, _ in changed]
        return FetchResult(name, "changed", f"{name}: updated {', '.join(names)} from the publisher.", names)
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)


def fetch_all(
    data_dir: Path = DATA_DIR, env: dict[str, str] | None = None, urls: dict[str, str] | None = None
) -> list[FetchResult | SourceError]:
    """Every source in turn (``urls``: mirrors by source name); a failure of one is reported, the others run."""
    results: list[FetchResult | SourceError] = []
    for name in SOURCES:
        try:
            results.append(fetch(name, data_dir, url=(urls or {}).get(name), env=env))
        except SourceError as exc:
            results.append(exc)
    return results


def _read_meta(path: Path) -> dict:
    meta_path = provenance_path(path)
    if not meta_path.exists():
        return {}
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}


class _Response:
    def __init__(self, etag: str | None, last_modified: str | None, final_url: str) -> None:
        self.etag, self.last_modified, self.final_url = etag, last_modified, final_url


def _download(url: str, out: Path, last: dict, name: str, allowed: tuple[str, ...] = ()) -> _Response | None:
    """GET ``url`` into ``out`` (conditionally); None on 304. The URL is never printed (it may carry a key)."""
    headers = {"User-Agent": USER_AGENT}
    if last.get("etag"):
        headers["If-None-Match"] = last["etag"]
    if last.get("last_modified"):
        headers["If-Modified-Since"] = last["last_modified"]
    opener = urllib.request.build_opener(_SameHostRedirects(allowed))
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http and https only, checked below)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise SourceError(f"{name}: the download address is not http or https.")
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            expected = response.headers.get("Content-Length")
            digest, size = hashlib.sha256(), 0
            with out.open("wb") as handle:
                while block := response.read(1 << 20):
                    size += len(block)
                    if size > MAX_BYTES:
                        raise SourceError(
                            f"{name}: the download is larger than {MAX_BYTES >> 30} GiB; nothing was changed."
                        )
                    digest.update(block)
                    handle.write(block)
            if expected is not None and size != int(expected):
                raise SourceError(
                    f"{name}: the download was cut short ({size:,} of {int(expected):,} bytes); nothing was changed."
                )
            return _Response(response.headers.get("ETag"), response.headers.get("Last-Modified"), response.geturl())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise SourceError(f"{name}: the publisher's server answered HTTP {exc.code}; nothing was changed.") from None
    except SourceError as exc:
        raise SourceError(f"{name}: {exc}" if not str(exc).startswith(name) else str(exc)) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc.__class__.__name__
        if "IncompleteRead" in exc.__class__.__name__ or "IncompleteRead" in str(reason):
            raise SourceError(f"{name}: the download was cut short; nothing was changed.") from None
        raise SourceError(f"{name}: the download failed ({reason}); nothing was changed.") from None
    except Exception as exc:  # http.client.IncompleteRead and other protocol errors
        raise SourceError(
            f"{name}: the download failed ({exc.__class__.__name__}: cut short or broken); nothing was changed."
        ) from None


def _unpack(source: Source, download: Path, staging_dir: Path) -> dict[str, Path]:
    """Target path (relative to data/) → staged file. A zip must hold exactly the expected members."""
    if not source.is_zip:
        target = source.targets[0]
        return {target.path: download.rename(staging_dir / Path(target.path).name)}
    try:
        with zipfile.ZipFile(download) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            expected = {t.member for t in source.targets if t.member}
            unexpected = sorted(set(names) - expected)
            if unexpected:
                raise SourceError(
                    f"{source.name}: the zip holds member(s) this project does not expect "
                    f"({', '.join(_member_name(n) for n in unexpected[:5])}); the publisher may have changed the "
                    "download, so nothing was changed. Check the download and update etl/fetch.py."
                )
            absent = sorted(expected - set(names))
            if absent:
                raise SourceError(f"{source.name}: the zip lacks {', '.join(absent)}; nothing was changed.")
            staged: dict[str, Path] = {}
            for target in source.targets:
                out = staging_dir / Path(target.path).name
                with archive.open(str(target.member)) as member, out.open("wb") as handle:
                    shutil.copyfileobj(member, handle)
                staged[target.path] = out
            return staged
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile):
        raise SourceError(
            f"{source.name}: the download is not a complete zip (cut short or damaged); nothing was changed."
        ) from None


def _member_name(name: str) -> str:
    """A zip member's name as printed: cut to 80 characters, withheld if it looks like a personal identifier."""
    import pandas as pd

    from etl.pii import identifier_rule

    if identifier_rule(pd.Series([name], dtype="string"), "label").notna().iloc[0]:
        return "(a name withheld: it looks like a personal identifier)"
    return repr(name[:80])


def _check_layout(path: Path, target: Target) -> str:
    """The staged file must be one of the target's layouts (any release of it) and read cleanly."""
    from etl.recognise import recognise

    try:
        found = recognise(path)
    except SourceError as exc:
        raise SourceError(f"{exc} Nothing was changed.") from None
    if found.layout not in target.layouts:
        raise SourceError(
            f"{path.name}: the download is the {found.layout} layout, not {' or '.join(target.layouts)}; "
            "nothing was changed."
        )
    if found.kind == "events":
        from etl.incident_events import check

        check(path, found.encoding)  # every row read and checked (refused rows are the build's to quarantine)
    else:
        from etl.readers import read_csv_text

        read_csv_text(path)  # strictly readable as CSV (refused rows are the build's to quarantine)
    return found.release


def _new_meta(
    target: Target,
    path: Path,
    staged: Path,
    source: Source,
    address: str,
    response: _Response,
    checked: str,
    release: str,
) -> dict:
    """The provenance after a fetch that changed the file: the earlier record, with what the fetch knows."""
    meta = _read_meta(path) or {
        "source_id": path.stem.replace("-", "_").lower(),
        "file": path.name,
        "layout": target.layouts[0],
        "publisher": source.title.split(":")[0],
        "title": source.title,
        "licence": "as stated by the publisher: check it",
        "measures": source.title,
    }
    fetch_meta = {
        **meta.get("fetch", {}),
        "etag": response.etag,
        "last_modified": response.last_modified,
        "checked": checked,
        "changed": checked,
        "layout_release": release,
    }
    meta.update(
        {
            "retrieved": checked[:10],
            "download_url": _without_query(address),
            "sha256": sha256_of(staged),
            "fetch": {k: v for k, v in fetch_meta.items() if v is not None},
        }
    )
    if response.last_modified:
        meta["published"] = f"as dated by the publisher's server: {response.last_modified}"
    meta.pop("retrieved_assumed", None)
    return meta


def _without_query(url: str) -> str:
    """An address without its query (a key may be in it): what is recorded in provenance."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _mark_checked(paths: list[Path], checked: str, response: _Response | None = None) -> None:
    """A fetch that found nothing new: only the provenance's ``fetch.checked`` moves (the checksum stands)."""
    for path in paths:
        meta = _read_meta(path)
        if not meta:
            continue
        fetch_meta = dict(meta.get("fetch", {}))
        fetch_meta["checked"] = checked
        if response is not None:
            fetch_meta.update(
                {k: v for k, v in (("etag", response.etag), ("last_modified", response.last_modified)) if v}
            )
        meta["fetch"] = fetch_meta
        _write_json_atomically(provenance_path(path), meta)


def _write_json_atomically(path: Path, meta: dict) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _hdx_resource_url(dataset_page: str) -> str:
    """HDX's dataset page → the address of its conflict-data CSV, through HDX's CKAN catalogue API
    (``/api/3/action/package_show`` on the page's own host)."""
    page = urllib.parse.urlsplit(dataset_page)
    slug = page.path.rstrip("/").rsplit("/", 1)[-1]
    api = f"{page.scheme}://{page.netloc}/api/3/action/package_show?id={urllib.parse.quote(slug)}"
    opener = urllib.request.build_opener(_SameHostRedirects())
    request = urllib.request.Request(api, headers={"User-Agent": USER_AGENT})  # noqa: S310 (the page's scheme)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            package = json.loads(response.read(10 << 20))
    except (urllib.error.URLError, OSError, ValueError, SourceError) as exc:
        raise SourceError(
            f"ucdp_ged: HDX's catalogue could not be read ({exc.__class__.__name__}); nothing was changed."
        ) from None
    for resource in package.get("result", {}).get("resources", []):
        address = str(resource.get("url", ""))
        if str(resource.get("name", "")).startswith("conflict_data_") and urllib.parse.urlsplit(address).scheme in (
            "http",
            "https",
        ):
            return address
    raise SourceError("ucdp_ged: HDX's dataset lists no conflict_data_*.csv resource; nothing was changed.")
