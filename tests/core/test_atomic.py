import pytest

from evalsuite.core.atomic import write_bytes
from evalsuite.core.errors import EvalsuiteError
from fullfs import file_size_limit


def test_a_full_disk_names_the_path_and_leaves_no_file(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with file_size_limit(4096), pytest.raises(EvalsuiteError, match=r"out\.bin: cannot write, File too large"):
        write_bytes(target, b"x" * 100_000)
    assert target.read_bytes() == b"old"  # the old file is kept whole
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]  # no temporary file left
