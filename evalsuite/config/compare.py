"""The ``[compare]`` table of a benchmark config: which Word2Vec and GloVe embeddings are compared, and how."""

from __future__ import annotations

from evalsuite.config.sections import ConfigContext, fmt_value
from evalsuite.core.runspecs import CompareSpec
from evalsuite.core.registry import suggest
from evalsuite.train.params import (
    Boolean, Integral, Interval, NonEmptyString, Options, ParameterError, Real, validate_value,
)

COMPARE_CONSTRAINTS = {
    "word2vec": [NonEmptyString()],
    "glove": [NonEmptyString()],
    "select": [Options("named", "dev")],
    "dev_fraction": [Interval(Real, 0, 1, closed="neither")],
    "split_seed": [Interval(Integral, 0, None, closed="left")],
    "grid": [Boolean()],
}
COMPARE_KEYS = (*COMPARE_CONSTRAINTS, "differences")


def parse_compare(ctx: ConfigContext, table, specs) -> CompareSpec | None:
    """The ``[compare]`` table checked against the configured embeddings: a :class:`CompareSpec`.

    ``word2vec`` / ``glove`` name the compared embeddings (``select = "named"``, implied
    when they are given); ``select = "dev"`` chooses them on a dev split of each dataset
    (``dev_fraction``, ``split_seed``); ``grid = true`` adds a verdict per point of a grid
    swept alike for both families; ``[compare.differences]`` maps a trainer parameter to
    the reason its values differ on purpose.
    """
    if table is None:
        return None
    ctx.expect("compare", table, dict, "a table [compare]")
    ctx.unknown_keys("compare.", table, COMPARE_KEYS)
    for key, constraints in COMPARE_CONSTRAINTS.items():
        if key in table:
            try:
                validate_value(key, table[key], constraints)
            except ParameterError as exc:
                raise ctx.error(f"compare.{key}", exc.problem) from None
    _parse_differences(ctx, table.get("differences", {}), specs)
    compare = CompareSpec.from_table(table)
    named, select = list(compare.representatives), compare.select
    if select == "named" and len(named) != 2:
        raise ctx.error("compare", "select = \"named\" needs both word2vec = \"...\" and glove = \"...\"")
    if select == "dev" and named:
        raise ctx.error(f"compare.{named[0]}", "naming an embedding needs select = \"named\" (or no select)")
    families = {s.name: s.family for s in specs}
    for fam in named:
        name = table[fam]
        if name not in families:
            raise ctx.error(f"compare.{fam}", f"no embedding named {name!r}{suggest(name, families)}; "
                                              f"known: {', '.join(families)}")
        if families[name] != fam:
            raise ctx.error(f"compare.{fam}", f"{name!r} is a {families[name]} embedding, not {fam}")
    if compare.grid:
        _check_grid(ctx, specs)
    return compare


def _parse_differences(ctx: ConfigContext, table, specs) -> None:
    """``[compare.differences]``: trainer parameter -> a non-empty reason."""
    ctx.expect("compare.differences", table, dict, "a table of parameter = \"reason\"")
    known = set()
    for s in specs:
        if s.resolved is not None:  # None: pretrained, or names not checked
            known |= set(s.resolved.params)
    for key, reason in table.items():
        if known and key not in known:
            raise ctx.error(f"compare.differences.{key}", f"not a parameter of the configured trainers"
                                                          f"{suggest(key, known)}")
        if not isinstance(reason, str) or not reason.strip():
            raise ctx.error(f"compare.differences.{key}", f"expected the reason as a string, got {reason!r}")


def _check_grid(ctx: ConfigContext, specs) -> None:
    """``grid = true`` needs, for every swept setting, exactly one Word2Vec and one GloVe embedding."""
    points: dict[str, dict[str, list[str]]] = {}
    for s in specs:
        if s.family in ("word2vec", "glove"):
            key = ", ".join(f"{k}={fmt_value(v)}" for k, v in sorted(s.sweep.items())) or "(no sweep)"
            points.setdefault(key, {}).setdefault(s.family, []).append(s.name)
    for key, fams in points.items():
        for fam in ("word2vec", "glove"):
            found = fams.get(fam, [])
            if len(found) != 1:
                what = f"{len(found)} ({', '.join(found)})" if found else "none"
                raise ctx.error("compare.grid", f"the grid point {key} needs one {fam} embedding, found {what}; "
                                                "sweep the same settings for one Word2Vec and one GloVe entry")


__all__ = ["COMPARE_KEYS", "parse_compare"]
