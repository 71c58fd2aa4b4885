import pytest

from evalsuite.report import plots

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes):
    assert png[:8] == PNG_MAGIC
    assert png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _check(png):
    w, h = _size(png)
    assert w > 20 and h > 10
    from PIL import Image
    import io
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        colors = im.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colors is None or len(colors) > 5  # something was drawn


@pytest.mark.parametrize("make", [
    lambda: plots.analogy_heatmap(["a", "b"], ["capital", "gram1"], [[0.5, None], [1.0, 0.0]], title="g"),
    lambda: plots.loss_curves({"w": {"epoch": [1, 2], "loss": [2.0, 1.5]},
                               "g": {"epoch": [1, 2], "loss": [0.1, None]}},
                              panels={"w": "sgns", "g": "glove"}),
    lambda: plots.throughput_bars(["w", "g"], [1e5, None], ["words", "pairs"], [3.0, 4.0]),
    lambda: plots.similarity_scores(["ws353", "simlex"], ["w", "g"],
                                    {"w": {"ws353": (0.6, (0.5, 0.7)), "simlex": (0.3, None)},
                                     "g": {"ws353": (float("nan"), None)}}),
    lambda: plots.learning_curves({"bag / frozen": {"w": {"epoch": [1, 2], "train_acc": [0.6, 0.8],
                                                          "val_acc": [0.55, 0.6]}}}),
    lambda: plots.regularization_curves("weight_decay", {
        "w / frozen": {"x": [0, 1e-5, 1e-3], "acc": [0.7, 0.71, 0.65], "acc_sd": [0.01, 0.0, 0.02],
                       "gap": [0.2, 0.15, 0.05], "gap_sd": [0.01, 0.01, 0.01]}}),
    lambda: plots.analogy_heatmap([], [], []),
], ids=["heatmap", "loss", "throughput", "similarity", "learning", "regularization", "empty"])
def test_plot_returns_valid_png(make):
    _check(make())


def test_heatmap_size_follows_the_data():
    small = _size(plots.analogy_heatmap(["a"], ["s1", "s2"], [[0.1, 0.2]]))
    big = _size(plots.analogy_heatmap(["a", "b", "c", "d", "e", "f"], [f"s{i}" for i in range(14)],
                                      [[0.5] * 14] * 6))
    assert big[0] > small[0] and big[1] > small[1]


def test_names_with_dollar_signs_are_drawn_as_text():
    # as mathtext, "$\frac{$" is a syntax error and "$x^2$" a formula: names are shown as written
    names = ["$\\frac{$", "$x^2$"]
    _check(plots.similarity_scores(["$t$"], names, {n: {"$t$": (0.5, (0.4, 0.6))} for n in names}))
    _check(plots.analogy_heatmap(names, ["$\\frac{$"], [[0.5], [0.25]], title="$^$"))
