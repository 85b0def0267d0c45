"""Template tags of the back office's own look (docs/back-office.md)."""

import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

CELL_START = re.compile(r"^(<(?:td|th)\b[^>]*)>")


@register.simple_tag
def labelled_cell(cell, headers, index: int):
    """A list's cell carrying its column's name (`data-label`), which the phone layout of
    staff/lists.css shows before the value when a row becomes a card. The cell is the admin's
    own HTML (its values escaped); the label is the column's name as text."""
    label = strip_tags(str(headers[index]["text"])).strip()
    if not label:
        return cell
    labelled = CELL_START.sub(
        lambda start: f'{start[1]} data-label="{escape(label)}">', str(cell), count=1
    )
    return mark_safe(labelled)
