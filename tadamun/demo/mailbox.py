"""The demo's mailbox: the messages Django's file backend wrote to EMAIL_FILE_PATH.

The file backend writes one file per connection, each message followed by a line of 79
dashes. The demo's page lists them newest first so a newcomer finds their confirmation
email without opening a hundred files.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass(frozen=True)
class Message:
    file: str
    index: int
    sent_at: datetime
    to: str
    subject: str
    text: str


def folder() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


def _read(path: Path) -> list[Message]:
    sent_at = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    messages = []
    for index, raw in enumerate(p for p in path.read_bytes().split(SEPARATOR) if p.strip()):
        message = BytesParser(policy=policy.default).parsebytes(raw)
        body = message.get_body(preferencelist=("plain",))
        messages.append(
            Message(
                file=path.name,
                index=index,
                sent_at=sent_at,
                to=str(message["To"] or ""),
                subject=str(message["Subject"] or ""),
                text=body.get_content() if body else "",
            )
        )
    return messages


def messages(limit: int = 200) -> list[Message]:
    """The newest `limit` messages, newest first."""
    if not folder().is_dir():
        return []
    files = sorted(folder().glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    found: list[Message] = []
    for path in files:
        found += reversed(_read(path))
        if len(found) >= limit:
            break
    return found[:limit]


def message(file: str, index: int) -> Message | None:
    path = folder() / file
    if path.parent != folder() or path.suffix != ".log" or not path.is_file():
        return None
    found = _read(path)
    return found[index] if 0 <= index < len(found) else None
