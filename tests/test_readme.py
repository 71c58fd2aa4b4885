"""The README's Python examples run: every ```python block under the heading "## Python API",
in order, in one namespace (as cells of one notebook), in an empty working folder."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
HEADING = "## Python API"
_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def section(markdown: str, heading: str) -> str | None:
    """The text under ``heading`` (a line of its own) up to the next heading of its level or
    higher, or None when there is no such heading."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = markdown.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip() == heading]
    if not starts:
        return None
    out = []
    for line in lines[starts[0] + 1:]:
        hashes = len(line) - len(line.lstrip("#"))
        if 0 < hashes <= level and line[hashes:hashes + 1] == " ":
            break
        out.append(line)
    return "".join(out)


def python_blocks(markdown: str) -> list[str]:
    """The code of every fenced ```python block, in order."""
    return _BLOCK.findall(markdown)


def test_the_python_api_examples_run(tmp_path, monkeypatch, capsys):
    text = section(README.read_text(encoding="utf-8"), HEADING)
    assert text is not None, f"README.md has no {HEADING!r} section"
    blocks = python_blocks(text)
    assert blocks, f"README.md's {HEADING!r} section has no python example"
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__readme__"}
    for i, code in enumerate(blocks, 1):
        exec(compile(code, f"README.md ({HEADING}, example {i})", "exec"), namespace)
    assert capsys.readouterr().out  # the examples print their tables


def test_sections_and_blocks_are_found_as_written():
    doc = ("# T\n## Python API\ntext\n```python\nx = 1\n```\n### more\n```python\ny = x + 1\n```\n"
           "```bash\nls\n```\n## Next\n```python\nz = 3\n```\n")
    text = section(doc, "## Python API")
    assert python_blocks(text) == ["x = 1\n", "y = x + 1\n"]
    assert section(doc, "## Missing") is None
