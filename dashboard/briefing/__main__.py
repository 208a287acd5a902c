"""``python -m dashboard.briefing``: write a briefing pack for a period of the published dataset, HTML or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard import db, i18n
from dashboard.briefing import ChromiumMissing, build_html, html_to_pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.briefing",
        description="Write a briefing pack for a period of the published dataset: HTML or PDF, by --out's extension.",
    )
    parser.add_argument("--from", dest="year_from", type=int, required=True, help="first year")
    parser.add_argument("--to", dest="year_to", type=int, required=True, help="last year")
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="en", help="language of the brief")
    parser.add_argument("--platform", action="append", default=[], help="platform id, repeatable (default: all)")
    parser.add_argument("--province", action="append", default=[], help="province code such as PK-KP, repeatable")
    parser.add_argument("--out", required=True, type=Path, help="brief.html or brief.pdf")
    args = parser.parse_args(argv)
    with db.reading(db.Dataset(db.latest_path())):  # one file for the whole brief, even if one is published now
        html = build_html(args.year_from, args.year_to, args.lang, args.platform, args.province)
    if args.out.suffix.lower() == ".pdf":
        try:
            html_to_pdf(html, args.out)
        except ChromiumMissing as exc:
            parser.exit(2, f"{exc}\nOr write the HTML (--out brief.html) and print it to PDF from a browser.\n")
    else:
        args.out.write_text(html, encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
