"""``evalsuite evaluate``: score vector files on similarity and analogy tasks."""

from __future__ import annotations

import math

from rich.console import Console


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score word-vector files on similarity and analogy tasks",
        description="Score word-vector files on similarity and analogy tasks under one protocol.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="word-vector file(s) or pretrained source name(s) (glove-6b-50d)")
    parser.add_argument("--task", action="append", metavar="NAME", dest="tasks",
                        help="dataset name (ws353, google, ...) or file path; repeatable "
                             "(default: all bundled similarity and analogy datasets)")
    parser.add_argument("--protocol", default="default", metavar="NAME", help="protocol preset (default, gensim)")
    parser.add_argument("--restrict-vocab", type=int, metavar="N",
                        help="use only the N most frequent words for similarity and analogy (0 = all)")
    parser.add_argument("--format", metavar="FMT", dest="fmt",
                        help="vector file format (word2vec, word2vec-binary, glove, fasttext, npz); "
                             "detected when omitted")
    parser.add_argument("--json", metavar="OUT", dest="json_out", help="write results as JSON to OUT")
    parser.set_defaults(func=run)


def run(args) -> int:
    from evalsuite.core.atomic import write_json
    from evalsuite.core.errors import ConfigError
    from evalsuite.data.vectors.sources import load_pretrained
    from evalsuite.evaluate.protocol import get_protocol
    from evalsuite.evaluate.registry import default_tasks, get_task

    protocol = get_protocol(args.protocol)
    if args.restrict_vocab is not None:
        if args.restrict_vocab < 0:
            raise ConfigError(f"--restrict-vocab: must be >= 0, got {args.restrict_vocab}")
        protocol = protocol.with_restrict_vocab(args.restrict_vocab)
    # resolve tasks first so that a bad name fails before any slow loading
    tasks = [get_task(name) for name in (args.tasks or default_tasks())]
    results = []
    for path in args.paths:
        embeddings = load_pretrained(path, args.fmt, name=str(path))
        results.extend(task.evaluate(embeddings, protocol) for task in tasks)

    _print_table(results, [t.metadata.name for t in tasks], list(args.paths), protocol)
    if args.json_out:
        write_json(args.json_out, to_json(results, protocol))
    return 0


def to_json(results, protocol) -> dict:
    """The ``--json`` document: the protocol and one summary entry per (embedding, task)."""
    return {
        "protocol": protocol.to_dict(),
        "results": [
            {
                "embedding": r.embedding,
                "task": r.task,
                "main_score": _num(r.main_score),
                "scores": {k: _num(v) for k, v in r.scores.items()},
                "n_items": r.n_items,
                "n_scored": r.n_scored,
                "ci95": list(r.ci95) if r.ci95 is not None else None,
            }
            for r in results
        ],
    }


def _num(value):
    return None if value is None or not math.isfinite(value) else float(value)


def _print_table(results, task_names, embedding_names, protocol) -> None:
    """A row per embedding, a column per task; split over several tables when too wide."""
    from evalsuite.report.grids import ScoreGrid, print_grid

    by_key = {(r.embedding, r.task): r for r in results}
    rows = []
    for emb in embedding_names:
        cells = []
        for name in task_names:
            r = by_key.get((str(emb), name))
            if r is None:
                cells.append("-")
                continue
            score = "n/a" if not math.isfinite(r.main_score) else f"{r.main_score:.3f}"
            ci = f"[{r.ci95[0]:.3f}, {r.ci95[1]:.3f}]" if r.ci95 else ""
            cells.append(f"{score}\n{ci}\n{r.main_score_name}\n{r.n_scored}/{r.n_items} covered")
        rows.append(((str(emb),), tuple(cells)))
    grid = ScoreGrid(f"evalsuite evaluate (protocol {protocol.name} v{protocol.version})", ("embedding",),
                     tuple(task_names), tuple(rows))
    print_grid(grid, Console())
