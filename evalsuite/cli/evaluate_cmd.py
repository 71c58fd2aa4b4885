"""``evalsuite evaluate``: score vector files on similarity and analogy tasks (:func:`evalsuite.api.evaluate`)."""

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
    from evalsuite.api.evaluation import evaluate
    from evalsuite.api.inputs import resolve_protocol
    from evalsuite.core.atomic import write_json
    from evalsuite.core.errors import ConfigError

    if args.json_out and os.path.isdir(args.json_out):
        raise ConfigError(f"--json {args.json_out}: is a folder; give the path of a file to write")
    protocol = resolve_protocol(args.protocol, args.restrict_vocab, key="--restrict-vocab")
    evaluation = evaluate([str(p) for p in args.paths], args.tasks, protocol, format=args.fmt)
    evaluation.show(Console())
    if args.json_out:
        write_json(args.json_out, evaluation.to_document())
    return 0
