"""The fuzz limits themselves: a block past its time fails, and a nested limit keeps the outer one."""

import time

import pytest

from limits import Hang, within


def test_a_block_past_its_time_fails():
    with pytest.raises(Hang, match="the sleep ran past 0.1 s"):
        with within(0.1, "the sleep"):
            time.sleep(2)


def test_a_nested_limit_keeps_the_enclosing_one():
    with pytest.raises(Hang, match="outer"):
        with within(0.3, "outer"):
            with within(5, "inner"):
                pass
            time.sleep(2)
