"""``python -m dashboard.site``: build the static site of the release ``LATEST`` names and switch ``latest`` to it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.site.build import SiteBuildError, build, describe
from dataset.location import published_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.site", description=__doc__)
    parser.add_argument(
        "--published",
        type=Path,
        default=None,
        help="the published folder (default: $DASHBOARD_DATA_DIR or ./published)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes that rasterise the chart images (default: one per core)",
    )
    args = parser.parse_args(argv)
    try:
        result = build((args.published or published_dir()).resolve(), jobs=args.jobs)
    except SiteBuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(describe(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
