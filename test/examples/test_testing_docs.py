"""docs/testing-with-the-emulator.md shows the sample test that runs in this suite, as it is."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "testing-with-the-emulator.md"
SAMPLE = ROOT / "test" / "examples" / "test_plugin_sample.py"


def test_page_shows_the_sample_test_verbatim() -> None:
    sample = SAMPLE.read_text(encoding="utf-8")
    assert f"```python\n{sample}```\n" in PAGE.read_text(encoding="utf-8")


def test_readme_links_the_page() -> None:
    assert "(docs/testing-with-the-emulator.md)" in (ROOT / "README.md").read_text("utf-8")
