"""Command line: ``python -m etl build | validate PATH | fetch SOURCE | rehash PATH`` (see ``--help``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from etl.errors import SourceError
from etl.paths import DATA_DIR_ENV, published_dir

EXIT_OK, EXIT_QUARANTINED, EXIT_REFUSED = 0, 1, 2

DESCRIPTION = f"""\
Build the transparency dashboard's dataset from the files in data/.

Every source file has a provenance file beside it (<file>.provenance.json: publisher, licence,
checksum). The build reads each through the adapter for its layout, validates every row against the
table's contract in data/contracts/, quarantines bad rows (file, line, column, rule), loads one
DuckDB file and publishes it atomically. The dashboard reads what was published last. A case log or
event export given without a provenance file gets one drafted from its recognised layout, printed and
written beside it (--strict refuses it instead). `fetch` refreshes sources from their publishers.

Published into: ${DATA_DIR_ENV} if set, else ./published (override with --out).
Exit codes: 0 done; 1 rows were refused (validate); 2 nothing was published: a file could not be
read at all (unknown layout, missing columns, bad encoding, checksum changed) or --strict found
quarantined rows."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="read, validate, load and publish the whole dataset")
    build.add_argument("--out", type=Path, help=f"directory to publish into (default: ${DATA_DIR_ENV} or ./published)")
    build.add_argument(
        "--strict",
        action="store_true",
        help="refuse to publish if any row is quarantined, or a --case-log / --events file has no provenance file",
    )
    build.add_argument("--quiet", action="store_true", help="no progress display, summary only")
    build.add_argument(
        "--case-log",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="an agency's case log (CSV or Parquet) to aggregate and publish as anonymised monthly figures; "
        "without a provenance file beside it one is drafted (refused under --strict); repeatable",
    )
    build.add_argument(
        "--events",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="your own ACLED, UCDP GED or GTD export (CSV or Parquet, recognised by its header) to publish as "
        "monthly incident aggregates; without a provenance file beside it one is drafted from the recognised "
        "layout (refused under --strict); repeatable",
    )
    build.add_argument(
        "--k",
        type=int,
        default=None,
        metavar="K",
        help="disclosure threshold: case-log cells with fewer than K requests are withheld (default 5)",
    )
    export = commands.add_parser(
        "export", help="write the open-data release (also done by build) for the published dataset"
    )
    export.add_argument("--out", type=Path, help=f"published directory (default: ${DATA_DIR_ENV} or ./published)")
    generate = commands.add_parser("generate-caselog", help="write an illustrative (synthetic) case log, deterministic")
    generate.add_argument("--rows", type=int, required=True)
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.parquet")
    generate_events = commands.add_parser(
        "generate-events",
        help="write an illustrative (synthetic) ACLED, UCDP GED or GTD export with the exact header, deterministic",
    )
    generate_events.add_argument("--dataset", choices=["acled", "ucdp_ged", "gtd"], required=True)
    generate_events.add_argument("--rows", type=int, required=True)
    generate_events.add_argument("--seed", type=int, default=1)
    generate_events.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.parquet")
    check = commands.add_parser(
        "validate", help="check one file against the layout its header matches; publish nothing"
    )
    check.add_argument("path", type=Path)
    fetch = commands.add_parser(
        "fetch",
        help="refresh source files from their publishers (conditional download, checked, replaced atomically)",
    )
    fetch.add_argument(
        "source", nargs="?", help="google, ucdp_ged or acled (ACLED needs ACLED_API_KEY and ACLED_EMAIL)"
    )
    fetch.add_argument("--all", action="store_true", help="every source (ACLED only when its key is set)")
    fetch.add_argument("--url", help="download from this address instead of the publisher's (a mirror)")
    fetch.add_argument("--data-dir", type=Path, help="the data folder to update (default: data/)")
    rehash = commands.add_parser(
        "rehash", help="record a deliberately changed file's new checksum in its provenance file"
    )
    rehash.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    console = Console(stderr=False, highlight=False)
    try:
        if args.command == "build":
            return _build(args, console)
        if args.command == "export":
            from etl.publish import current_database
            from etl.release import export_release

            out_dir = (args.out or published_dir()).resolve()
            database = current_database(out_dir)
            if database is None:
                raise SourceError(f"Nothing is published in {out_dir.name}/ yet: run `python -m etl build` first.")
            console.print(f"Release written: {export_release(database, out_dir)}")
            return EXIT_OK
        if args.command == "generate-caselog":
            from etl.caselog_generate import generate as generate_caselog

            path = generate_caselog(args.rows, args.seed, args.out)
            console.print(
                f"{path}: {args.rows:,} illustrative (synthetic) requests, seed {args.seed}; provenance beside it."
            )
            return EXIT_OK
        if args.command == "generate-events":
            from etl.incident_events_generate import generate as make_events

            path = make_events(args.dataset, args.rows, args.seed, args.out)
            console.print(
                f"{path}: {args.rows:,} illustrative (synthetic) {args.dataset} events, seed {args.seed}; "
                "provenance beside it."
            )
            return EXIT_OK
        if args.command == "validate":
            return _validate(args.path, console)
        if args.command == "fetch":
            return _fetch(args, console)
        return _rehash(args.path, console)
    except SourceError as exc:
        Console(stderr=True, highlight=False).print(f"[bold red]Refused:[/] {exc}")
        return EXIT_REFUSED


def _build(args, console: Console) -> int:
    from etl.build import run
    from etl.caselog import DEFAULT_K

    out_dir = (args.out or published_dir()).resolve()
    if args.k is not None and args.k < 1:
        raise SourceError("--k must be at least 1.")
    options = {
        "strict": args.strict,
        "case_logs": args.case_log,
        "k": args.k or DEFAULT_K,
        "event_exports": args.events,
    }
    options["on_draft"] = lambda provenance: _print_draft(provenance, console)
    if args.quiet:
        result = run(out_dir, **options)
    else:
        with console.status("Building…") as status:
            result = run(
                out_dir, on_stage=lambda stage, detail: status.update(f"[bold]{stage}[/]: {detail}"), **options
            )
    table = Table(title=f"Dataset {result.dataset_version} published to {result.database.name}")
    for column in ("source", "loaded into", "rows read", "loaded", "quarantined"):
        table.add_column(
            column,
            justify="right" if column.startswith(("rows", "loaded", "quar")) and column != "loaded into" else "left",
        )
    for r in result.results:
        if r.layout is None:
            table.add_row(r.provenance.path.name, "[dim]provenance only[/]", "", "", "")
            continue
        table.add_row(
            r.provenance.path.name,
            r.layout.table,
            f"{r.rows_read:,}",
            f"{r.rows_loaded:,}",
            f"[red]{r.rows_quarantined:,}[/]" if r.rows_quarantined else "0",
        )
    for case in result.case_logs:
        table.add_row(
            case.source_id,
            "case_requests_monthly",
            f"{case.rows_read:,}",
            f"{case.rows_aggregated:,}",
            f"[red]{case.rows_quarantined:,}[/]" if case.rows_quarantined else "0",
        )
    for events in result.event_exports:
        skipped = events.rows_outside_pakistan + events.rows_out_of_scope
        table.add_row(
            events.source_id,
            "incident_events_monthly",
            f"{events.rows_read:,}",
            f"{events.rows_read - events.rows_quarantined:,}" + (f" ({skipped:,} skipped)" if skipped else ""),
            f"[red]{events.rows_quarantined:,}[/]" if events.rows_quarantined else "0",
        )
    console.print(table)
    for provenance in result.superseded:
        console.print(
            f"{provenance.path.name}: shipped with the project, not loaded this time: your own {provenance.layout} "
            "export replaces it (loading both would count the same events twice)."
        )
    for events in result.event_exports:
        if events.rows_estimates_out_of_order:
            console.print(
                f"{events.source_id}: {events.rows_estimates_out_of_order:,} events have a best estimate outside "
                "the source's own low-high range (published that way upstream): kept, counted as published and "
                "flagged (incident_events_info.rows_estimates_out_of_order)."
            )
        if not events.shipped:
            console.print(
                f"[bold]{events.source_id}: monthly aggregates of your {events.dataset} export are published. "
                f"Terms:[/] {events.terms}"
            )
        if events.unmapped:
            names = ", ".join(f"{field} {name!r} ({n})" for field, name, n in events.unmapped[:10])
            more = f" and {len(events.unmapped) - 10} more" if len(events.unmapped) > 10 else ""
            console.print(
                f"[yellow]{events.source_id}: names no mapping table knows (counted as other/unknown):[/] {names}{more}. "
                "See incident_events_unmapped; add them to data/reference/group_aliases.csv, region_aliases.csv "
                "or event_type_map.csv."
            )
    stages = ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in result.stage_seconds.items())
    console.print(f"Stages: {stages}. Quarantined rows: {result.quarantined} (see the quarantine table).")
    return EXIT_OK


def _print_draft(provenance, console: Console) -> None:
    """A provenance file the build drafted: what it says, where it is, how to correct it."""
    import json

    from etl.provenance import provenance_path

    meta = provenance.meta
    console.print(
        f"[bold]{provenance.path.name}: no provenance file, so one was drafted from its layout "
        f"({meta['layout']}, {meta['layout_release']}) and written beside it as "
        f"{provenance_path(provenance.path).name}:[/]"
    )
    console.print(json.dumps(meta, indent=2, ensure_ascii=False), markup=False, soft_wrap=True)  # copyable
    console.print(
        f"[yellow]'retrieved' ({meta['retrieved']}) is the file's date, assumed.[/] Correct it to the date you "
        "exported the file, check publisher, title and licence, and build again (editing the provenance file "
        "needs no rehash). With --strict a file without a provenance file is refused."
    )


def _validate(path: Path, console: Console) -> int:
    from etl.adapters import Refs, registry
    from etl.build import REFERENCE_ORDER, _remember, read_and_validate
    from etl.paths import DATA_DIR
    from etl.provenance import discover
    from etl.recognise import recognise

    path = path.resolve()
    found = recognise(path)
    console.print(
        f"{path.name}: recognised as {found.kind.replace('_', ' ')} layout {found.layout}, release: {found.release}"
        f" (documented in {found.documented}); would publish into {found.publishes_into}. Nothing is written."
    )
    if found.kind == "events":
        return _validate_events(path, console, found.encoding)
    if found.kind == "case_log":
        return _validate_case_log(path, console)
    layout = registry()[found.layout]
    refs, references = Refs(), dict[tuple, set]()
    layouts = registry()
    for provenance in discover(DATA_DIR):  # reference tables, for label mapping and key checks
        ref_layout = layouts.get(provenance.layout)
        if ref_layout and ref_layout.table in REFERENCE_ORDER and provenance.path != path:
            ref = read_and_validate(provenance.path, ref_layout, refs, references)
            _remember(ref_layout.table, ref.frame, refs, references)
    result = read_and_validate(path, layout, refs, references)
    console.print(
        f"{path.name}: layout {layout.name} → table {layout.table}; rows read {result.rows_read:,}, "
        f"valid {result.rows_loaded:,}, refused {result.rows_quarantined:,}"
    )
    frame = result.frame
    if frame is not None and len(frame) and "period_end" in frame.columns:
        periods = frame["period_end"].dropna()
        countries = frame["country_code"].dropna().nunique() if "country_code" in frame.columns else 0
        console.print(
            f"  would publish {len(frame):,} rows into {layout.table}: periods ending {periods.min()} to "
            f"{periods.max()}, {countries:,} {'country' if countries == 1 else 'countries'}"
        )
    return _print_failures(result.failures, console)


def _validate_case_log(path: Path, console: Console) -> int:
    """A case log: every check, the aggregation and disclosure control, nothing published."""
    from etl import caselog

    result = caselog.check(path)
    console.print(
        f"{path.name}: case log; rows read {result.rows_read:,}: aggregated {result.rows_aggregated:,}, refused "
        f"{result.rows_quarantined:,}; would publish {result.cells:,} monthly cells, of which "
        f"{result.suppressed_primary + result.suppressed_secondary:,} withheld (k = {caselog.DEFAULT_K})"
    )
    return _print_failures(result.failures, console)


def _print_failures(failures: list, console: Console) -> int:
    if not failures:
        return EXIT_OK
    table = Table("line", "column", "rule", "message")
    for f in failures[:200]:
        table.add_row(str(f.line or ""), f.column or "—", f.rule, f.message)
    console.print(table)
    if len(failures) > 200:
        console.print(f"… and {len(failures) - 200} more failures.")
    return EXIT_QUARANTINED


def _validate_events(path: Path, console: Console, encoding: str = "utf-8") -> int:
    """An ACLED, UCDP GED or GTD export: every check and the aggregation, nothing published."""
    from etl import incident_events

    result = incident_events.check(path, encoding)  # GTD's own CSV is often Latin-1
    console.print(
        f"{path.name}: {result.dataset} export; rows read {result.rows_read:,}: aggregated {result.rows_aggregated:,}, "
        f"outside Pakistan {result.rows_outside_pakistan:,}, out of scope {result.rows_out_of_scope:,}, "
        f"refused {result.rows_quarantined:,}; {result.cells:,} monthly cells"
    )
    if result.rows_estimates_out_of_order:
        console.print(
            f"  {result.rows_estimates_out_of_order:,} events have a best estimate outside the source's own low-high "
            "range: kept and counted as published, flagged."
        )
    for field, name, events in result.unmapped[:20]:
        console.print(f"  not in the mapping tables: {field} {name!r} ({events:,} events)")
    return _print_failures(result.failures, console)


def _fetch(args, console: Console) -> int:
    from etl import fetch
    from etl.paths import DATA_DIR

    data_dir = (args.data_dir or DATA_DIR).resolve()
    if args.all == bool(args.source):
        raise SourceError(f"Give one source ({', '.join(fetch.SOURCES)}) or --all.")
    if args.all:
        results = fetch.fetch_all(data_dir)
    else:
        try:
            results = [fetch.fetch(args.source, data_dir, url=args.url)]
        except SourceError as exc:
            results = [exc]
    failed = 0
    for result in results:
        if isinstance(result, SourceError):
            failed += 1
            Console(stderr=True, highlight=False).print(f"[bold red]Refused:[/] {result}")
        else:
            console.print(result.message)
    if not failed and any(getattr(r, "status", "") == "changed" for r in results):
        console.print("Build next (python -m etl build): the release's changelog will show what the publisher revised.")
    return EXIT_REFUSED if failed else EXIT_OK


def _rehash(path: Path, console: Console) -> int:
    from etl.paths import DATA_DIR
    from etl.provenance import provenance_path, rehash

    path = path if path.exists() else next(DATA_DIR.rglob(path.name), path)
    if not provenance_path(path).exists():
        raise SourceError(f"{path.name}: no provenance file to update.")
    console.print(f"{path.name}: checksum recorded ({rehash(path)[:12]}…).")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
