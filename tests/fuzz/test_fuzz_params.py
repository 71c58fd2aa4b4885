"""Trainer parameters and seeds at their extremes: refused at construction, before any work."""

from hypothesis import given, settings
from hypothesis import strategies as st

import evalsuite.train.builtin  # noqa: F401  (registers the built-in trainers)
from evalsuite.cli.train_cmd import parse_seed, resolve_settings
from evalsuite.core.errors import ConfigError
from evalsuite.train import trainer_registry
from evalsuite.train.limits import check_seed
from evalsuite.train.params import ParameterError
from limits import within
from mutate import EXAMPLES, REFUSED

TRAINERS = {n: cls for n, cls in trainer_registry.items() if cls.__module__.startswith("evalsuite.")}
EXTREMES = st.one_of(
    st.integers(-2**80, 2**80),
    st.sampled_from([0, -1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**62, 2**63 - 1, 2**63, 2**64, 10**18, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 5e-324, float("nan"), float("inf")]),
)
TEXTS = st.one_of(EXTREMES.map(str), st.sampled_from(["1e999", "-0", "0x10", "1_000", " 7 ", "nan", "true", ""]))


def _refused(name: str, build) -> None:
    EXAMPLES[name] += 1
    with within(10, name):
        try:
            build()
        except (ParameterError, ConfigError) as exc:
            REFUSED[name] += 1
            assert "\n" not in str(exc)


@settings(max_examples=40)
@given(trainer=st.sampled_from(sorted(TRAINERS)), data=st.data())
def test_parameter_extremes(trainer, data):
    cls = TRAINERS[trainer]
    param = data.draw(st.sampled_from(cls.param_names()), label="parameter")
    value = data.draw(EXTREMES, label="value")
    _refused("trainer parameters", lambda: cls(**{param: value}))
    text = data.draw(TEXTS, label="--set value")
    _refused("--set values", lambda: resolve_settings(trainer, [f"{param}={text}"]))


@settings(max_examples=30)
@given(seed=EXTREMES)
def test_seed_extremes(seed):
    _refused("seeds", lambda: check_seed(seed))
    if isinstance(seed, int):
        _refused("--seed values", lambda: parse_seed(seed))
        if not 0 <= seed < 2**32:
            try:
                check_seed(seed)
            except ParameterError:
                return
            raise AssertionError(f"seed {seed} accepted")
