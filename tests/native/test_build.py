"""The kernel build's cache key and the per-kernel loaders."""

from evalsuite import native


def test_cache_key_text_includes_the_headers_a_source_includes(tmp_path):
    (tmp_path / "h.h").write_text("int helper;\n")
    (tmp_path / "k.c").write_text('#include <stdint.h>\n#include "h.h"\nint k;\n')
    text = native._source_text(tmp_path / "k.c")
    assert "int k;" in text and "int helper;" in text
    (tmp_path / "h.h").write_text("int changed;\n")
    assert native._source_text(tmp_path / "k.c") != text


def test_training_kernels_share_the_common_header():
    for name in ("glove", "w2v"):
        assert "common.h" in native._source_text(native.HERE / f"{name}.c").split("\0", 1)[0]
        assert "static inline float dot(" in native._source_text(native.HERE / f"{name}.c")


def test_kernel_loader_passes_its_kernel_to_load_library(monkeypatch):
    calls = []
    monkeypatch.setattr(native, "load_library", lambda *a, **k: calls.append((a, k)) or "lib")
    load = native.kernel_loader("x", ("-O2",), print, "The compiled x")
    assert load() == "lib" and load(required=True) == "lib"
    assert calls == [(("x", ("-O2",), print), {"required": False}), (("x", ("-O2",), print), {"required": True})]
    assert load.__doc__.startswith("The compiled x, or ``None``")
