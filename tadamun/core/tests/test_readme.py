"""README.md documents every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_environment_variable_is_in_the_readme():
    settings_source = (ROOT / "tadamun" / "settings.py").read_text()
    names = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", settings_source))
    readme = (ROOT / "README.md").read_text()
    assert len(names) > 15
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
