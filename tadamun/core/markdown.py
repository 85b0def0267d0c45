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
