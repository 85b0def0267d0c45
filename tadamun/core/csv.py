"""CSV exports that stream (constant memory at any size) and cannot smuggle formulas.

A cell starting with = + - @ (or a tab or carriage return) would run as a formula when the
file is opened in a spreadsheet; such cells get a leading apostrophe, which spreadsheets show
as text. See OWASP "CSV Injection".
"""

import csv

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def yes_no(value: bool) -> str:
    """A yes-or-no cell, in the reader's language."""
    return _("Yes") if value else _("No")


class _Echo:
    def write(self, value):
        return value


def streaming_csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a byte-order mark, so spreadsheets read UTF-8 (Arabic names) right
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
