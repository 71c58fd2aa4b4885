import pytest

from evalsuite.data.corpus import ENGLISH_STOPWORDS, Tokenizer
from evalsuite.core.errors import ConfigError


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello, World!", ["hello", ",", "world", "!"]),
        ("A great film.<br /><br />Really", ["a", "great", "film", ".", "really"]),
        ("<i>italic</i> &amp; bold", ["italic", "&", "bold"]),
        ("don't stop", ["do", "n't", "stop"]),
        ("Don\u2019t", ["do", "n't"]),
        ("can't, won't, it's, we're, I'm, you've, she'll, he'd", [
            "ca", "n't", ",", "wo", "n't", ",", "it", "'s", ",", "we", "'re", ",", "i", "'m", ",",
            "you", "'ve", ",", "she", "'ll", ",", "he", "'d"]),
        ("do n't", ["do", "n't"]),
        ("o'neill's dogs' toys", ["o'neill", "'s", "dogs", "'", "toys"]),
        ("a well-known 3-2 win", ["a", "well-known", "3-2", "win"]),
        ("U.S. policy, e.g. 1,000 or 3.5", ["u.s.", "policy", ",", "e.g.", "1,000", "or", "3.5"]),
        ("'tis rock- and -roll", ["'", "tis", "rock", "-", "and", "-", "roll"]),
        ('"quoted," she said...', ['"', "quoted", ",", '"', "she", "said", "..."]),
        ("caf\u00e9 NA\u00cfVE", ["caf\u00e9", "na\u00efve"]),
        ("--- ... !!!", ["---", "...", "!", "!", "!"]),
        ("(yes) ?", ["(", "yes", ")", "?"]),
    ],
)
def test_default_policy(text, expected):
    assert Tokenizer()(text) == expected


def test_options():
    assert Tokenizer(lowercase=False)("The Cat") == ["The", "Cat"]
    assert Tokenizer(lowercase=False)("I DON'T") == ["I", "DO", "N'T"]
    assert Tokenizer(strip_markup=False)("a<br />b") == ["a", "<", "br", "/", ">", "b"]
    assert Tokenizer(stopwords="english")("The cat is on the mat") == ["cat", "mat"]
    assert Tokenizer(stopwords=["Cat"])("the cat") == ["the"]


def test_stopword_list_is_tokenizer_form():
    tok = Tokenizer()
    assert "n't" in ENGLISH_STOPWORDS and "the" in ENGLISH_STOPWORDS and "don't" not in ENGLISH_STOPWORDS
    assert all(tok(w) == [w] for w in ENGLISH_STOPWORDS)


def test_unknown_stopword_list():
    with pytest.raises(ConfigError, match="english"):
        Tokenizer(stopwords="klingon")


def test_settings_differ():
    assert Tokenizer().settings() != Tokenizer(stopwords="english").settings()
    assert Tokenizer().settings() != Tokenizer(lowercase=False).settings()
