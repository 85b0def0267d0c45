"""Reading the demo's Markdown content files (`<name>.<language>.md`)."""

from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class Text:
    title: str
    summary: str
    body: str


def read(name: str, language: str) -> Text | None:
    path = CONTENT_DIR / f"{name}.{language}.md"
    if not path.exists():
        return None
    head, _separator, body = path.read_text(encoding="utf-8").partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return Text(title=fields["title"].strip(), summary=fields["summary"].strip(), body=body.strip())


def translations(name: str, languages) -> dict[str, Text]:
    return {code: text for code in languages if (text := read(name, code))}
