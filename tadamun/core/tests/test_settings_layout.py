"""settings.py: each setting assigned in one place, under the heading of its concern."""

import ast
import re
from pathlib import Path

import tadamun

SETTINGS = Path(tadamun.__file__).parent / "settings.py"


def _assigned_at_top_level() -> list[str]:
    """The names assigned by the module's own statements (not those inside an `if`, whose
    branches each assign a name once, e.g. CACHES with or without Redis)."""
    names = []
    for node in ast.parse(SETTINGS.read_text()).body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def test_each_setting_is_assigned_once():
    names = [name for name in _assigned_at_top_level() if name.isupper()]
    assert len(names) > 100
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_the_settings_are_grouped_under_headings_of_their_concern():
    headings = re.findall(r"^# --- (.+?) -+$", SETTINGS.read_text(), flags=re.MULTILINE)
    concerns = ["Core Django", "Security", "Database", "vault", "Mail", "Tasks", "Forms"]
    concerns += ["app's knobs", "Observability"]
    assert [c for c in concerns if not any(c in heading for heading in headings)] == []
