"""The README's example runs and prints what the README says."""
import contextlib
import io
import re

from conftest import REPO


def _blocks(path):
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_readme_example_prints_what_it_says():
    [block] = _blocks(REPO / "README.md")
    expected = [l[2:] for l in block.splitlines() if l.startswith("# ")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert out.getvalue().splitlines() == expected


def test_readme_commands_are_the_ci_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    first = readme[readme.index("```bash") + 1:readme.index("```bash") + 5]
    assert first[0].startswith("# 1.") and "citex extract examples/" in first[1]
    assert first[2].startswith("# 2.") and "pytest" in first[3]
    assert "README.md" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
