"""CSV imports run by a worker, all or nothing, with a row-by-row report (officials,
supporters): what every import shares.

An upload is kept on an ImportJob row (core.models); a worker claims it once (`run`), checks
every row, and saves all of them in one transaction only if no row has a problem. The row
keeps the progress the admin's page shows and the report: each problem by row (as a
spreadsheet numbers it: the header is row 1), column and message.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PROGRESS_EVERY = 50  # rows between two progress updates
# A cell a spreadsheet would run as a formula (core.csv neutralises them on the way out).
FORMULA_PREFIXES = ("=", "+", "@")


class ImportRefused(Exception):
    """The file as a whole cannot be read (not a CSV, wrong columns, too large)."""


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


def read_table(data: bytes, *, max_rows: int) -> tuple[list[str], list[list[str]]]:
    """The header (lower case, trimmed) and the non-blank rows (cells trimmed) of a CSV file
    in UTF-8, separated by commas, semicolons or tabs (spreadsheets in many languages use
    ";"). Raises ImportRefused with a translated reason."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
        ) from None
    if "\x00" in text:
        raise ImportRefused(_("This is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        rows = [[cell.strip() for cell in row] for row in reader if any(c.strip() for c in row)]
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    except csv.Error:
        raise ImportRefused(_("This is not a CSV file we can read.")) from None
    if len(rows) > max_rows:
        raise ImportRefused(
            ngettext(
                "The file has %(count)s row; please import at most %(limit)s at once.",
                "The file has %(count)s rows; please import at most %(limit)s at once.",
                len(rows),
            )
            % {"count": len(rows), "limit": max_rows}
        )
    return header, rows


def formula_problems(number: int, row: dict) -> list[Problem]:
    return [
        Problem(number, column, _("This looks like a spreadsheet formula; please remove it."))
        for column, value in row.items()
        if value.startswith(FORMULA_PREFIXES)
    ]


def run(job, do_import: Callable, *, preview: bool = False) -> None:
    """Carry out an uploaded import (an ImportJob), keeping its progress and report on its
    row. `do_import(job, progress)` returns the report's counts and problems, or raises
    ImportRefused. Runs once: a second worker given the same job finds it claimed.

    With `preview`, `do_import` saves nothing and the job then waits for an admin to
    confirm it (`confirm`), after which it runs again to save. Once it is done or refused,
    the file is forgotten (it may hold people's addresses): only the counts and the report
    stay."""
    model = type(job)
    claimed = model.objects.filter(pk=job.pk, status=model.Status.WAITING).update(
        status=model.Status.CHECKING
    )
    if not claimed:
        return
    mine = model.objects.filter(pk=job.pk)

    def progress(checked, rows):
        """`checked` rows of `rows` are checked; None once saving starts."""
        if checked is None:
            mine.update(status=model.Status.SAVING, checked=rows, rows=rows)
        elif checked == rows or checked % PROGRESS_EVERY == 0:
            mine.update(checked=checked, rows=rows)

    with translation.override(job.language):
        try:
            counts, problems = do_import(job, progress)
        except ImportRefused as refused:
            mine.update(status=model.Status.REFUSED, report={"refused": str(refused)}, data=b"")
            return
    finished = model.Status.PREVIEWED if preview else model.Status.DONE
    status = model.Status.REFUSED if problems else finished
    kept = {} if status == model.Status.PREVIEWED else {"data": b""}
    mine.update(
        status=status,
        report={**counts, "problems": [[p.row, p.column, p.message] for p in problems]},
        **kept,
    )


def confirm(job) -> bool:
    """An admin confirms a previewed import: it waits for a worker again, to be saved.
    False if it was not waiting for a confirmation (confirmed twice, or refused)."""
    model = type(job)
    return bool(
        model.objects.filter(pk=job.pk, status=model.Status.PREVIEWED).update(
            status=model.Status.WAITING
        )
    )
