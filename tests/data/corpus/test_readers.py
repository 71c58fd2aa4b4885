import bz2
import gzip
import os

import pytest

from evalsuite.data.corpus import TextCorpus
from evalsuite.data.corpus.readers import FileSource, iter_lines, list_files
from evalsuite.core.errors import EvalsuiteError, InputError

LINES = ["The cat sat.", "", "A dog <br /> ran!", "---"]


@pytest.fixture
def files(tmp_path):
    text = "\n".join(LINES) + "\n"
    (tmp_path / "plain.txt").write_text(text, encoding="utf-8")
    with gzip.open(tmp_path / "z.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(text)
    with bz2.open(tmp_path / "b.txt.bz2", "wt", encoding="utf-8") as fh:
        fh.write(text)
    return tmp_path


@pytest.mark.parametrize("name", ["plain.txt", "z.txt.gz", "b.txt.bz2"])
def test_formats_read_the_same(files, name):
    assert [t for _, t in iter_lines(files / name)] == LINES
    assert list(TextCorpus(files / name)) == [["the", "cat", "sat", "."], ["a", "dog", "ran", "!"], ["---"]]


def test_reiterable(files):
    c = TextCorpus(files / "z.txt.gz")
    assert list(c) == list(c)


def test_folder_sorted_recursive_skips_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("bee\n")
    (tmp_path / "a.txt").write_text("ay\n")
    (tmp_path / "sub" / "c.txt").write_text("sea\n")
    (tmp_path / ".hidden").write_text("no\n")
    assert [p.name for p in list_files(tmp_path)] == ["a.txt", "b.txt", "c.txt"]
    assert list(TextCorpus(tmp_path)) == [["ay"], ["bee"], ["sea"]]


def test_bad_utf8_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"fine\nalso fine\nbad \xff byte\n")
    with pytest.raises(InputError) as err:
        list(iter_lines(p))
    assert err.value.line == 3 and "bad.txt, line 3" in str(err.value)


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "broken.gz"
    p.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="broken.gz"):
        list(iter_lines(p))


def test_empty_corpus_names_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("\n  \n<br />\n")
    with pytest.raises(EvalsuiteError, match="empty.*empty.txt"):
        list(TextCorpus(p))


def test_missing_and_empty_folder(tmp_path):
    with pytest.raises(EvalsuiteError, match="no such file"):
        FileSource(tmp_path / "nope.txt")
    (tmp_path / "d").mkdir()
    with pytest.raises(EvalsuiteError, match="no files"):
        FileSource(tmp_path / "d")


def test_a_named_pipe_in_a_corpus_folder_is_an_error_naming_it(tmp_path):
    (tmp_path / "a.txt").write_text("the cat\n", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    with pytest.raises(InputError) as err:
        list_files(tmp_path)  # was listed, then its reading waited forever
    assert str(err.value) == f"{tmp_path / 'b.txt'}: is a named pipe (FIFO), not a regular file"


def test_an_unreadable_corpus_subfolder_is_an_error_naming_it(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("the cat\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("the dog\n", encoding="utf-8")
    locked = tmp_path / "sub"
    scandir = os.scandir

    def refusing(path="."):  # what a folder without read permission does (root reads it anyway)
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    with pytest.raises(InputError) as err:
        list_files(tmp_path)  # was skipped without a word
    assert str(err.value) == f"{locked}: cannot read the folder: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="permission bits do not stop root")
def test_a_corpus_subfolder_without_read_permission_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text("the cat\n", encoding="utf-8")
    (tmp_path / "sub").mkdir(mode=0o000)
    try:
        with pytest.raises(InputError, match="sub: cannot read the folder"):
            list_files(tmp_path)
    finally:
        (tmp_path / "sub").chmod(0o755)
