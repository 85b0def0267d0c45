"""Reading the demo's Markdown content files (`<name>.<language>.md`): `key: value` lines,
a `---` line, then the Markdown body."""

from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def read(name: str, language: str) -> dict[str, str] | None:
    """The file's fields (title, summary, ...) and its `body`, or None if it does not exist."""
    path = CONTENT_DIR / f"{name}.{language}.md"
    if not path.exists():
        return None
    head, _separator, body = path.read_text(encoding="utf-8").partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return {key: value.strip() for key, value in fields.items()} | {"body": body.strip()}


def translations(name: str, languages) -> dict[str, dict[str, str]]:
    return {code: text for code in languages if (text := read(name, code))}
