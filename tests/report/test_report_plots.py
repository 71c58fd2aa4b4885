import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from evalsuite.report import plot_style, score_plots, training_plots
from evalsuite.report.content import build_document
from evalsuite.report.views import run_colors

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
    lambda: score_plots.analogy_heatmap(["a", "b"], ["capital", "gram1"], [[0.5, None], [1.0, 0.0]], title="g"),
    lambda: training_plots.loss_curves({"w": {"epoch": [1, 2], "loss": [2.0, 1.5]},
                               "g": {"epoch": [1, 2], "loss": [0.1, None]}},
                              panels={"w": "sgns", "g": "glove"}),
    lambda: score_plots.throughput_bars(["w", "g"], [1e5, None], ["words", "pairs"], [3.0, 4.0]),
    lambda: score_plots.similarity_scores(["ws353", "simlex"], ["w", "g"],
                                    {"w": {"ws353": (0.6, (0.5, 0.7)), "simlex": (0.3, None)},
                                     "g": {"ws353": (float("nan"), None)}}),
    lambda: training_plots.learning_curves({"bag / frozen": {"w": {"epoch": [1, 2], "train_acc": [0.6, 0.8],
                                                          "val_acc": [0.55, 0.6]}}}),
    lambda: training_plots.regularization_curves("weight_decay", {
        "w / frozen": {"x": [0, 1e-5, 1e-3], "acc": [0.7, 0.71, 0.65], "acc_sd": [0.01, 0.0, 0.02],
                       "gap": [0.2, 0.15, 0.05], "gap_sd": [0.01, 0.01, 0.01]}}),
    lambda: training_plots.overfitting_curves([{"embedding": "w", "panel": "frozen", "epoch": [1, 2],
                                       "train_acc": [0.6, 0.8], "val_acc": [0.55, None]}]),
    lambda: training_plots.regularizer_effect("dropout", [{"embedding": "w", "x": [0.1, 0.5], "acc": [0.7, 0.7],
                                                  "gap": [0.2, 0.1]}]),
    lambda: score_plots.analogy_heatmap([], [], []),
], ids=["heatmap", "loss", "throughput", "similarity", "learning", "regularization", "overfitting",
        "regularizer", "empty"])
def test_plot_returns_valid_png(make):
    _check(make())


def test_heatmap_size_follows_the_data():
    small = _size(score_plots.analogy_heatmap(["a"], ["s1", "s2"], [[0.1, 0.2]]))
    big = _size(score_plots.analogy_heatmap(["a", "b", "c", "d", "e", "f"], [f"s{i}" for i in range(14)],
                                      [[0.5] * 14] * 6))
    assert big[0] > small[0] and big[1] > small[1]


def test_names_with_dollar_signs_are_drawn_as_text():
    # as mathtext, "$\frac{$" is a syntax error and "$x^2$" a formula: names are shown as written
    names = ["$\\frac{$", "$x^2$"]
    _check(score_plots.similarity_scores(["$t$"], names, {n: {"$t$": (0.5, (0.4, 0.6))} for n in names}))
    _check(score_plots.analogy_heatmap(names, ["$\\frac{$"], [[0.5], [0.25]], title="$^$"))
@pytest.fixture
def drawn(monkeypatch):
    """The figures behind the PNGs, as (figure, png) once saved (text at its final size and place)."""
    figures, save = [], plot_style.png

    def keep(fig):
        png = save(fig)
        figures.append((fig, png))
        return png

    monkeypatch.setattr(plot_style, "png", keep)
    return figures


def _title(ax) -> str:
    return ax.get_title(loc="left")  # titles sit on the left (plot_style.STYLE)


def _color(handle) -> str:
    get = getattr(handle, "get_color", None) or handle.get_facecolor
    return to_hex(get())


def test_report_figures_are_readable_at_100_percent_and_colour_each_embedding_alike(drawn, run_result, analysis):
    # one report's figures, drawn once, checked for both (drawing them is the slow part)
    doc = build_document(run_result, analysis)
    assert len(drawn) == len(doc.figures) >= 6
    for fig, png in drawn:
        renderer = fig.canvas.get_renderer()
        # shown at 1/PIXEL_RATIO of its pixels: no wider than the page's column, so never scaled down
        assert _size(png)[0] == round(fig.get_figwidth() * plot_style.DPI)
        assert _size(png)[0] / plot_style.PIXEL_RATIO <= plot_style.MAX_WIDTH
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert texts and min(t.get_fontsize() for t in texts) >= plot_style.FONT_MIN == 10
        legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        for legend in legends:  # outside every plotted area
            box = legend.get_window_extent(renderer)
            assert not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
    _one_colour_per_embedding(drawn, run_result)


def _one_colour_per_embedding(drawn, run_result):
    colors = run_colors(run_result)
    # seeds of one embedding share its colour; colours follow the sorted names: glove, sgns
    assert colors["glove@seed1"] == colors["glove"] == plot_style.OKABE_ITO[0]
    assert colors["sgns@seed0"] == colors["sgns"] == plot_style.OKABE_ITO[1]
    checked = 0
    for fig, _ in drawn:
        for legend in fig.legends:
            for text, handle in zip(legend.get_texts(), legend.legend_handles):
                if text.get_text() in colors:
                    assert _color(handle) == colors[text.get_text()].lower(), text.get_text()
                    checked += 1
        for ax in fig.axes:  # small multiples name their embedding in its colour
            if _title(ax) in colors:
                title = next(t for t in ax.get_children() if isinstance(t, Text) and t.get_text() == _title(ax))
                assert to_hex(title.get_color()) == colors[_title(ax)].lower()
                checked += 1
    assert checked >= 10


def test_embedding_colors_follow_sorted_names():
    colors = plot_style.embedding_colors(["torch-glove", "sgns@seed1", "gensim-sg"], {"sgns@seed1": "sgns"})
    assert colors == {"gensim-sg": plot_style.OKABE_ITO[0], "sgns": plot_style.OKABE_ITO[1],
                      "sgns@seed1": plot_style.OKABE_ITO[1], "torch-glove": plot_style.OKABE_ITO[2]}
    assert plot_style.embedding_colors(["b", "a"]) == plot_style.embedding_colors(["a", "b"])
    many = plot_style.embedding_colors([f"e{i}" for i in range(10)])
    assert many["e8"] == many["e0"] and len(set(many.values())) == 8


def test_similarity_is_a_panel_per_dataset(drawn):
    score_plots.similarity_scores(["men", "rg65", "ws353"], ["a", "b"],
                            {"a": {"men": (0.5, (0.4, 0.6)), "rg65": (0.2, None)}, "b": {"ws353": (0.1, None)}})
    fig, _ = drawn[0]
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [_title(ax) for ax in shown] == ["men", "rg65", "ws353"]
    assert [t.get_text() for t in shown[0].get_yticklabels()] == ["a", "b"]


def test_overfitting_panels_mark_the_best_validation_epoch(drawn):
    training_plots.overfitting_curves([
        {"embedding": "a", "panel": "frozen", "epoch": [1, 2, 3], "train_acc": [0.6, 0.7, 0.9],
         "val_acc": [0.5, 0.65, 0.65]},  # a tie: the later epoch
        {"embedding": "b", "panel": "frozen", "epoch": [1, 2, 3], "train_acc": [0.6, 0.7, 0.9],
         "val_acc": [0.5, 0.6, 0.55], "best_epoch": 1},  # given: kept
        {"embedding": "a", "panel": "fine-tuned", "epoch": [1, 2], "train_acc": [0.7, 0.8],
         "val_acc": [0.7, 0.6]}])
    fig, _ = drawn[0]
    assert [_title(ax) for ax in fig.axes] == ["a", "b", "a", "b"]  # a row per panel
    best = [[tuple(line.get_xdata()) for line in ax.get_lines() if line.get_marker() == "o"] for ax in fig.axes]
    assert best == [[(3,)], [(1,)], [(1,)], []]


def test_regularizer_effect_is_a_column_per_mode_on_even_steps(drawn):
    training_plots.regularizer_effect("weight_decay", [
        {"embedding": e, "panel": m, "x": [0, 1e-4, 1e-3], "acc": [0.7, 0.71, 0.69], "acc_sd": [0.01] * 3,
         "gap": [0.1, 0.08, 0.03], "gap_sd": [0.0] * 3} for e in ("a", "b") for m in ("random", "frozen")])
    fig, _ = drawn[0]
    # small multiples: accuracy on top, the gap below, a column per mode
    assert [_title(ax) for ax in fig.axes] == [
        "random: test accuracy", "frozen: test accuracy",
        "random: train − val. gap", "frozen: train − val. gap"]
    assert [t.get_text() for t in fig.axes[-1].get_xticklabels()] == ["0", "0.0001", "0.001"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]


def test_control_characters_in_names_are_drawn_as_visible_escapes(recwarn):
    assert plot_style._shown({"a\x1b[2Jb": [("t\n", 0.5)]}) == {"a\\x1b[2Jb": [("t\\n", 0.5)]}
    names, task = ["a\x1b[2Jb", "c\td"], "t\x07"
    scores = {n: {task: (0.5, (0.25, 0.75))} for n in names}
    assert score_plots.similarity_scores([task], names, scores).startswith(b"\x89PNG")
    assert not [w for w in recwarn if "missing from font" in str(w.message)]  # no raw control glyph drawn
