"""The ``[compare]`` and ``[baseline]`` settings of a run, typed and stored with it.

Config loading checks the two tables and builds these specs with :meth:`CompareSpec.from_table`
and :meth:`BaselineSpec.from_table`, the one reading of each table and the one home of its
defaults. A run stores them (:meth:`to_dict`); analysis and ``evalsuite check`` read them
back from the run. A run stored before runs held them is read through the same
``from_table``, from its stored config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

#: the compared families and their names in reports
FAMILIES = ("word2vec", "glove")


@dataclass(frozen=True)
class CompareSpec:
    """How the Word2Vec-or-GloVe verdict fixes its two embeddings (a config's ``[compare]`` table).

    Parameters
    ----------
    select : {"dev", "named"}
        ``named``: the embeddings in ``representatives``; ``dev``: chosen on a dev split.
    representatives : mapping of str to str
        Family (``"word2vec"``, ``"glove"``) -> embedding name, for ``named``.
    dev_fraction : float
        Share of each dataset's items in the dev part.
    split_seed : int
        Seed of the dev split.
    grid : bool
        Also give a verdict per point of a hyperparameter grid.
    differences : mapping of str to str
        Declared differences in matched settings: parameter -> reason.
    """

    select: str = "dev"
    representatives: Mapping[str, str] = field(default_factory=dict)
    dev_fraction: float = 0.5
    split_seed: int = 0
    grid: bool = False
    differences: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_table(cls, table: Mapping | None) -> "CompareSpec":
        """From a ``[compare]`` table as written (checked already), defaults filled in.

        ``select`` defaults to ``named`` when the table names an embedding, else ``dev``.
        """
        t = dict(table) if isinstance(table, Mapping) else {}
        reps = {fam: str(t[fam]) for fam in FAMILIES if t.get(fam)}
        default = cls()
        return cls(select=str(t.get("select") or ("named" if reps else default.select)), representatives=reps,
                   dev_fraction=float(t.get("dev_fraction", default.dev_fraction)),
                   split_seed=int(t.get("split_seed", default.split_seed)), grid=bool(t.get("grid", default.grid)),
                   differences=dict(t.get("differences") or {}))

    def to_dict(self) -> dict:
        return {"select": self.select, "representatives": dict(self.representatives),
                "dev_fraction": self.dev_fraction, "split_seed": self.split_seed, "grid": self.grid,
                "differences": dict(self.differences)}

    @classmethod
    def from_dict(cls, d: Mapping) -> "CompareSpec":
        return cls(**{**dict(d), "representatives": dict(d.get("representatives") or {}),
                      "differences": dict(d.get("differences") or {})})


@dataclass(frozen=True)
class BaselineSpec:
    """The ``[baseline]`` table: the run a regression gate's baseline comes from, and the gate.

    ``evalsuite run --baseline`` runs the config with ``seeds`` under ``name`` (default
    ``<run name>-baseline``); ``evalsuite check`` holds its family-wise false-alarm rate at
    ``level`` and never fails a drop no larger than ``margin``.
    """

    seeds: tuple[int, ...] = (0, 1, 2)
    name: str | None = None
    level: float = 0.05
    margin: float = 0.0

    @classmethod
    def from_table(cls, table: Mapping | None) -> "BaselineSpec":
        """From a ``[baseline]`` table as written (checked already), defaults filled in."""
        t = dict(table) if isinstance(table, Mapping) else {}
        default = cls()
        return cls(seeds=tuple(t.get("seeds", default.seeds)), name=t.get("name"),
                   level=float(t.get("level", default.level)), margin=float(t.get("margin", default.margin)))

    def run_name(self, name: str) -> str:
        """The name of the baseline run of the runs named ``name``: this table's ``name``, else
        ``<name>-baseline``."""
        return self.name or f"{name}-baseline"

    def to_dict(self) -> dict:
        return {"seeds": list(self.seeds), "name": self.name, "level": self.level, "margin": self.margin}

    @classmethod
    def from_dict(cls, d: Mapping) -> "BaselineSpec":
        return cls(**{**dict(d), "seeds": tuple(d.get("seeds", cls().seeds))})


def specs_to_dict(compare: CompareSpec | None, baseline: BaselineSpec | None) -> dict:
    """The two specs as stored with a run: ``{"compare": ..., "baseline": ...}`` (None for a missing one)."""
    return {"compare": compare.to_dict() if compare is not None else None,
            "baseline": baseline.to_dict() if baseline is not None else None}


def specs_from_dict(d: Mapping) -> tuple[CompareSpec | None, BaselineSpec | None]:
    """Inverse of :func:`specs_to_dict`."""
    compare, baseline = d.get("compare"), d.get("baseline")
    return (CompareSpec.from_dict(compare) if compare is not None else None,
            BaselineSpec.from_dict(baseline) if baseline is not None else None)


def _read(cls, table):
    try:
        return cls.from_table(table) if isinstance(table, Mapping) else None
    except (TypeError, ValueError):
        return None  # a damaged table: the stored config's check names it (store.results_file)


def stored_specs(config: Mapping) -> tuple[CompareSpec | None, BaselineSpec | None]:
    """The specs of a run stored before runs held them, from its stored config's tables (None where it
    has none, or a damaged one)."""
    config = config if isinstance(config, Mapping) else {}
    return _read(CompareSpec, config.get("compare")), _read(BaselineSpec, config.get("baseline"))


__all__ = ["FAMILIES", "BaselineSpec", "CompareSpec", "specs_from_dict", "specs_to_dict", "stored_specs"]
