"""Generate ``sklearn_seq/datasets/data/wordnet_glosses.csv.gz`` from WordNet 3.0.

The source is Debian's ``wordnet-base`` package::

    apt-get update && apt-get install -y wordnet-base
    python scripts/make_wordnet_glosses.py

Each synset line of ``/usr/share/wordnet/data.{noun,verb,adj,adv}`` becomes one
row with the columns ``offset`` (the synset's byte offset in its data file),
``ss_type`` (``n``, ``v``, ``a``, ``s`` or ``r``), ``lexname`` (the
lexicographer file, one of 45), ``lemmas`` (the synset's words, ``"; "``
separated, underscores replaced by spaces) and ``gloss`` (the text after
``" | "``). The output is gzip-compressed with a fixed timestamp, so running the
script twice gives byte-identical files.
"""

import argparse
import csv
import gzip
import io
import re
from pathlib import Path

N_SYNSETS = 117_659  # WordNet 3.0: 82,115 nouns + 13,767 verbs + 18,156 adjectives + 3,621 adverbs

# The standard list of lexicographer files (lexnames(5WN)), indexed by lex_filenum.
LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
    "noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
    "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
    "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon",
    "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
    "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body",
    "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
    "adj.ppl",
]  # fmt: skip

POS_FILES = ["noun", "verb", "adj", "adv"]
# Adjective syntactic markers such as "(a)", "(p)" and "(ip)" attached to lemmas.
_ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sklearn_seq" / "datasets" / "data" / "wordnet_glosses.csv.gz"


def read_lexnames(wordnet_dir):
    """Return the lexicographer file names, from ``lexnames`` if the package has it."""
    path = Path(wordnet_dir) / "lexnames"
    if not path.exists():
        return LEXNAMES
    names = {}
    for line in path.read_text().splitlines():
        number, name, _ = line.split()
        names[int(number)] = name
    return [names[i] for i in range(len(names))]


def parse_line(line, lexnames):
    """Parse one synset line of a ``data.*`` file into a row."""
    fields, sep, gloss = line.partition(" | ")
    if not sep:  # a synset without a gloss
        fields, gloss = line, ""
    parts = fields.split()
    offset, lex_filenum, ss_type, w_cnt = parts[0], parts[1], parts[2], parts[3]
    n_words = int(w_cnt, 16)
    words = parts[4 : 4 + 2 * n_words : 2]
    lemmas = [_ADJ_MARKER.sub("", w).replace("_", " ") for w in words]
    return {
        "offset": int(offset),
        "ss_type": ss_type,
        "lexname": lexnames[int(lex_filenum)],
        "lemmas": "; ".join(lemmas),
        "gloss": gloss.strip(),
    }


def read_synsets(wordnet_dir):
    """Yield one row per synset of the four ``data.*`` files."""
    lexnames = read_lexnames(wordnet_dir)
    for pos in POS_FILES:
        with open(Path(wordnet_dir) / f"data.{pos}", encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                yield parse_line(line.rstrip("\n"), lexnames)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet-dir", default="/usr/share/wordnet")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    rows = list(read_synsets(args.wordnet_dir))
    assert len(rows) == N_SYNSETS, f"expected {N_SYNSETS} synsets, got {len(rows)}"
    assert len({r["lexname"] for r in rows}) == 45

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(args.out, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"wrote {len(rows)} synsets to {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
