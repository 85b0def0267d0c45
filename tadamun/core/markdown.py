"""Markdown for user- and staff-authored text: rendered once when saved, then sanitised.

Raw HTML in the source is escaped by markdown-it (html=False) and nh3 then keeps only a small
set of tags. Images are not allowed: an image URL could make readers' browsers contact
another host, which the site promises never to do.
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_renderer = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
# An image becomes its description: the words stay, nothing is fetched.
_renderer.add_render_rule(
    "image", lambda self, tokens, idx, options, env: escapeHtml(tokens[idx].content)
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def render_markdown(text: str) -> str:
    """Return safe HTML for Markdown `text` (headings start at h2: the page owns h1)."""
    html = _renderer.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def first_paragraph_html(html: str) -> str:
    """The first <p>…</p> of rendered HTML, for teasers ("the statement's opening")."""
    start = html.find("<p>")
    end = html.find("</p>", start)
    if start == -1 or end == -1:
        return ""
    return html[start : end + len("</p>")]


def markdown_to_text(text: str) -> str:
    """Markdown `text` as plain text for an email's text/plain part: the words without the
    marks (no `**`, `#` or `[...](...)`), a link as "words (address)", lists with "- " or
    "1. ", quotes with "> ", paragraphs apart and list items on their own lines."""
    blocks: list[tuple[str, int]] = []  # (text, which list it is an item of; 0: none)
    quotes = ""  # "> " for each open quote
    lists: list[int | None] = []  # per open list: the next number, or None for bullets
    item_start = False
    list_number = 0
    for token in _renderer.parse(text or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open") and not lists:
            list_number += 1
        if kind == "bullet_list_open":
            lists.append(None)
        elif kind == "ordered_list_open":
            lists.append(int(token.attrGet("start") or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_start = True
        elif kind == "blockquote_open":
            quotes += "> "
        elif kind == "blockquote_close":
            quotes = quotes[:-2]
        elif kind == "hr":
            blocks.append((quotes + "----", 0))
        elif kind in ("inline", "code_block", "fence"):
            words = _inline_text(token) if kind == "inline" else token.content.rstrip("\n")
            marker = ""
            if item_start:
                marker = "- " if lists[-1] is None else f"{lists[-1]}. "
                if lists[-1] is not None:
                    lists[-1] += 1
                item_start = False
            indent = "  " * max(len(lists) - 1, 0)
            first, *rest = words.split("\n")
            lines = [indent + marker + first] + [indent + " " * len(marker) + r for r in rest]
            blocks.append(("\n".join(quotes + line for line in lines), list_number if lists else 0))
    joined = ""
    for index, (block, in_list) in enumerate(blocks):
        if index:
            joined += "\n" if in_list and blocks[index - 1][1] == in_list else "\n\n"
        joined += block
    return joined + "\n" if joined else ""


def _inline_text(token) -> str:
    """An inline token's words; a link's address follows its words unless they are it."""
    parts: list[str] = []
    links: list[tuple[int, str]] = []  # (where the open link's words start, its address)
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            links.append((len(parts), str(child.attrGet("href") or "")))
        elif child.type == "link_close":
            start, href = links.pop()
            label = "".join(parts[start:])
            if label not in (href, href.removeprefix("mailto:")):
                parts.append(f" ({href})")
    return "".join(parts)
