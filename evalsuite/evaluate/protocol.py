"""The evaluation protocol: every setting that changes a score, named and versioned.

A :class:`Protocol` is written into every result (:meth:`Protocol.to_dict`) so that two
numbers are only compared when they were produced the same way. Presets:

``default``
    Case folded to lower case (the most frequent case variant of a word wins),
    similarity over the whole vocabulary, analogy over the 30,000 most frequent
    words, OOV pairs dropped, unit-normalised vectors, 1,000 bootstrap resamples.
    A similarity score on fewer than 20 scored pairs, or on less than half of the
    dataset's pairs, is marked insufficient (both presets).
``gensim``
    Reproduces ``KeyedVectors.evaluate_word_pairs`` and ``evaluate_word_analogies``
    (gensim 4): words upper-cased, the first case variant in file order wins, both
    vocabularies restricted to the first 300,000 words, OOV items skipped, and
    gensim's float32 arithmetic and top-5 answer window emulated so that scores
    and correct counts are identical.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from evalsuite.core.errors import ConfigError, UnknownNameError
from evalsuite.core.registry import suggest

CASES = ("preserve", "lower", "upper")
OOV_POLICIES = ("drop", "mean", "zero")
ORDERS = ("frequency", "file")
NORMALIZATIONS = ("unit", "center")
EMULATIONS = (None, "gensim")


@dataclass(frozen=True)
class Protocol:
    """Settings shared by all tasks of an evaluation.

    Parameters
    ----------
    name, version : str
        Identity of the protocol; bump ``version`` whenever a setting's meaning changes.
    case : {"preserve", "lower", "upper"}
        How words of datasets and vocabulary are folded before matching; when several
        vocabulary words fold to the same key the first in ``order`` wins.
    order : {"frequency", "file"}
        Word order used for "most frequent" (counts when known, else file order) or
        plain file order (gensim's ``index_to_key``).
    oov : {"drop", "mean", "zero"}
        Similarity pairs with an unknown word: dropped, scored with the mean vector
        standing in for the unknown word, or scored as similarity 0.
    analogy_vocab : int
        Analogy candidates (and the words a question may use) are the N first words in
        ``order``; 0 = all.
    similarity_vocab : int
        Similarity words must be among the N first words; 0 = all.
    normalization : {"unit", "center"}
        Vectors are unit-normalised ("center": mean-centred first) before cosines.
    analogy_methods : tuple of str
        Methods scored; the first is the main score.
    cosmul_eps : float
        3CosMul epsilon.
    bootstrap_samples : int
        Resamples for 95% confidence intervals (0 = none).
    bootstrap_seed : int
        Seed of the bootstrap.
    emulate : {None, "gensim"}
        Reproduce another tool's arithmetic and tie rules exactly.
    min_similarity_pairs : int
        A similarity score on fewer scored pairs than this is marked insufficient
        (``TaskResult.sufficient`` False): shown, but left out of verdicts and of the
        regression gate.
    min_similarity_coverage : float
        Likewise for a score on less than this share of the dataset's pairs.
    """

    name: str = "default"
    version: str = "1.0"
    case: str = "lower"
    order: str = "frequency"
    oov: str = "drop"
    analogy_vocab: int = 30_000
    similarity_vocab: int = 0
    normalization: str = "unit"
    analogy_methods: tuple[str, ...] = ("3cosadd", "3cosmul")
    cosmul_eps: float = 1e-3
    bootstrap_samples: int = 1000
    bootstrap_seed: int = 0
    emulate: str | None = None
    min_similarity_pairs: int = 20
    min_similarity_coverage: float = 0.5

    def __post_init__(self):
        object.__setattr__(self, "analogy_methods", tuple(self.analogy_methods))
        checks = (
            ("case", self.case, CASES),
            ("order", self.order, ORDERS),
            ("oov", self.oov, OOV_POLICIES),
            ("normalization", self.normalization, NORMALIZATIONS),
            ("emulate", self.emulate, EMULATIONS),
        )
        for key, value, allowed in checks:
            if value not in allowed:
                raise ConfigError(f"protocol.{key}: {value!r} is not one of {list(allowed)}")
        for key in ("analogy_vocab", "similarity_vocab", "bootstrap_samples", "min_similarity_pairs"):
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"protocol.{key}: must be an int >= 0, got {value!r}")
        coverage = self.min_similarity_coverage
        if isinstance(coverage, bool) or not isinstance(coverage, (int, float)) or not 0 <= coverage <= 1:
            raise ConfigError(f"protocol.min_similarity_coverage: must be a number in [0, 1], got {coverage!r}")
        if not self.analogy_methods or set(self.analogy_methods) - {"3cosadd", "3cosmul"}:
            raise ConfigError(f"protocol.analogy_methods: {list(self.analogy_methods)} must be "
                              "a non-empty list of '3cosadd', '3cosmul'")
        if self.emulate == "gensim" and self.normalization != "unit":
            raise ConfigError("protocol.normalization: gensim emulation needs 'unit'")

    @property
    def folder(self):
        """:meth:`fold` as a plain function, for loops over many words."""
        return {"lower": str.lower, "upper": str.upper}.get(self.case, str)

    def fold(self, word: str) -> str:
        """The matching key of ``word`` under :attr:`case`."""
        return self.folder(word)

    def replace(self, **changes) -> "Protocol":
        """A copy with settings changed (validated)."""
        return replace(self, **changes)

    def with_restrict_vocab(self, n: int) -> "Protocol":
        """Restrict both the similarity and the analogy vocabulary to the ``n`` first words."""
        return self.replace(analogy_vocab=n, similarity_vocab=n)

    def to_dict(self) -> dict:
        """Plain-JSON settings, written into every result."""
        d = asdict(self)
        d["analogy_methods"] = list(self.analogy_methods)
        return d

    @classmethod
    def from_dict(cls, d) -> "Protocol":
        """Inverse of :meth:`to_dict`; unknown keys raise :class:`ConfigError`.

        Settings missing from ``d`` (a result written before they existed) take their
        defaults.
        """
        known = set(cls.__dataclass_fields__)
        extra = set(d) - known
        if extra:
            raise ConfigError(f"protocol: unknown setting(s) {sorted(extra)}")
        return cls(**d)

    def evidence_problem(self, n_scored: int, n_items: int) -> str | None:
        """Why a similarity score on ``n_scored`` of ``n_items`` pairs is insufficient, or None."""
        share = n_scored / n_items if n_items else 0.0
        problems = []
        if n_scored < self.min_similarity_pairs:
            problems.append(f"fewer than {self.min_similarity_pairs} pairs")
        if share < self.min_similarity_coverage:
            problems.append(f"coverage below {self.min_similarity_coverage:.0%}")
        if not problems:
            return None
        return f"{n_scored} of {n_items} pairs scored ({' and '.join(problems)})"


PRESETS: dict[str, Protocol] = {
    "default": Protocol(),
    "gensim": Protocol(
        name="gensim",
        version="1.0",
        case="upper",
        order="file",
        oov="drop",
        analogy_vocab=300_000,
        similarity_vocab=300_000,
        normalization="unit",
        emulate="gensim",
    ),
}


def list_protocols() -> list[str]:
    """Names of the preset protocols."""
    return sorted(PRESETS)


def get_protocol(name: str = "default") -> Protocol:
    """The preset protocol called ``name``.

    Raises
    ------
    UnknownNameError
        For an unknown name, suggesting the closest preset.
    """
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownNameError(
            f"unknown protocol '{name}'{suggest(name, PRESETS)}; known: {', '.join(list_protocols())}"
        ) from None
