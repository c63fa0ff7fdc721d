"""Generate ``sklearn_seq/datasets/data/sunspots.csv`` from statsmodels' copy.

The yearly sunspot numbers 1700-2008 (public domain, from NOAA's National
Geophysical Data Center) ship with statsmodels as
``statsmodels/datasets/sunspots/sunspots.csv``. statsmodels is not a dependency
of sklearn_seq; the file is copied once, with its columns renamed::

    pip download statsmodels --no-deps -d /tmp/sm
    python scripts/make_sunspots.py /tmp/sm/statsmodels-*.whl

The argument is a statsmodels wheel or the ``sunspots.csv`` file itself.
"""

import argparse
import csv
import io
import zipfile
from pathlib import Path

MEMBER = "statsmodels/datasets/sunspots/sunspots.csv"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sklearn_seq" / "datasets" / "data" / "sunspots.csv"


def read_source(path):
    path = Path(path)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            return zf.read(MEMBER).decode("utf-8")
    return path.read_text(encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="statsmodels wheel or sunspots.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    rows = list(csv.DictReader(io.StringIO(read_source(args.source))))
    years = [int(r["YEAR"]) for r in rows]
    assert years == list(range(1700, 2009)), "expected one row per year 1700-2008"
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["year", "sunspots"])
        for r in rows:
            writer.writerow([int(r["YEAR"]), float(r["SUNACTIVITY"])])
    print(f"wrote {len(rows)} years to {args.out}")


if __name__ == "__main__":
    main()
