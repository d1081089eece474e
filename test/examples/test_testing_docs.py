"""The sample tests shown in docs/testing-with-the-emulator.md and the README run in this suite,
as they are shown."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "testing-with-the-emulator.md"
SAMPLE = ROOT / "test" / "examples" / "test_plugin_sample.py"
README_SAMPLE = ROOT / "test" / "examples" / "test_readme_sample.py"


def test_page_shows_the_sample_test_verbatim() -> None:
    sample = SAMPLE.read_text(encoding="utf-8")
    assert f"```python\n{sample}```\n" in PAGE.read_text(encoding="utf-8")


def test_readme_links_the_page() -> None:
    assert "(docs/testing-with-the-emulator.md)" in (ROOT / "README.md").read_text("utf-8")


def test_readme_shows_its_sample_test_verbatim() -> None:
    sample = README_SAMPLE.read_text(encoding="utf-8")
    assert f"```python\n{sample}```\n" in (ROOT / "README.md").read_text("utf-8")
