"""``evalsuite evaluate``: score vector files on similarity and analogy tasks."""

from __future__ import annotations

import os

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

    if args.json_out and os.path.isdir(args.json_out):
        raise ConfigError(f"--json {args.json_out}: is a folder; give the path of a file to write")
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

    from evalsuite.report.terminal import print_evaluation

    print_evaluation(results, [t.metadata.name for t in tasks], [str(p) for p in args.paths],
                     f"evalsuite evaluate (protocol {protocol.name} v{protocol.version})", Console())
    if args.json_out:
        write_json(args.json_out, to_json(results, protocol))
    return 0


def to_json(results, protocol) -> dict:
    """The ``--json`` document: the protocol, one summary entry per (embedding, task), and the
    full task results with their per-item outputs (``task_results``), which ``evalsuite compare``
    reads to test two such files item by item.

    Non-finite scores stay floats here; :func:`~evalsuite.core.atomic.write_json` writes them as null.
    """
    return {
        "protocol": protocol.to_dict(),
        "results": [
            {
                "embedding": r.embedding,
                "task": r.task,
                "kind": r.kind,
                "main_score": r.main_score,
                "main_score_name": r.main_score_name,
                "scores": dict(r.scores),
                "n_items": r.n_items,
                "n_scored": r.n_scored,
                "ci95": list(r.ci95) if r.ci95 is not None else None,
                "sufficient": r.sufficient,
                **({"insufficient": r.insufficient_reason} if not r.sufficient else {}),
            }
            for r in results
        ],
        "task_results": [r.to_dict() for r in results],
    }
