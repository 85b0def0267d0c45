"""Officials imported and updated from a CSV file, all or nothing.

Every row is checked first, with the model's own validation (the same rules and messages as
the admin form); one problem anywhere and nothing is saved, and the report lists each
problem by row and column. Rows are matched to existing officials by `reference`; officials
missing from the file are left as they are.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from tadamun.core.text import validate_single_line
from tadamun.letters.models import Target, TargetGroup, TargetImport

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
PROGRESS_EVERY = 50  # rows between two progress updates
REQUIRED_COLUMNS = ["reference", "name", "title", "institution", "country"]
OPTIONAL_COLUMNS = ["email", "contact_form", "groups", "active"]
# The model's fields under their column names.
FIELD_COLUMNS = {"role": "title", "contact_form_url": "contact_form"}
FORMULA_PREFIXES = ("=", "+", "@")
YES = {"", "1", "yes", "y", "true", "x"}
NO = {"0", "no", "n", "false"}


class ImportRefused(Exception):
    """The file as a whole cannot be read (not a CSV, wrong columns, too large)."""


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


class TargetRowForm(forms.ModelForm):
    # An address typed without a scheme is read as https:// (Django 6's default).
    contact_form_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Target
        fields = [
            "reference",
            "name",
            "role",
            "institution",
            "country",
            "email",
            "contact_form_url",
            "active",
        ]


def read_rows(data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV file as dictionaries keyed by (lower-case) column name."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 2 MB. Please split it."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
        ) from None
    if "\x00" in text:
        raise ImportRefused(_("This is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # spreadsheets in many languages use ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    except csv.Error:
        raise ImportRefused(_("This is not a CSV file we can read.")) from None
    _check_header(header)
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            ngettext(
                "The file has %(count)s row; please import at most %(limit)s at once.",
                "The file has %(count)s rows; please import at most %(limit)s at once.",
                len(rows),
            )
            % {"count": len(rows), "limit": MAX_ROWS}
        )
    return [dict(zip(header, [cell.strip() for cell in row], strict=False)) for row in rows]


def _check_header(header: list[str]) -> None:
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    if unknown := [name for name in header if name not in known]:
        raise ImportRefused(
            _("Unknown column “%(column)s”. The columns are: %(columns)s.")
            % {"column": unknown[0], "columns": ", ".join(known)}
        )
    if missing := [name for name in REQUIRED_COLUMNS if name not in header]:
        raise ImportRefused(
            _("The column “%(column)s” is missing. The columns are: %(columns)s.")
            % {"column": missing[0], "columns": ", ".join(known)}
        )
    if len(set(header)) != len(header):
        raise ImportRefused(_("A column appears twice in the header."))


def _country_code(value: str) -> str:
    """An ISO code in any case, or a country's English name; else the value as it is, for
    the form to refuse."""
    if value.upper() in countries.countries:
        return value.upper()
    return countries.by_name(value) or value


def _group_names(value: str) -> list[str]:
    return [name.strip() for name in value.split("|") if name.strip()]


def _check_row(number: int, row: dict, seen: dict) -> tuple[TargetRowForm, list[Problem]]:
    problems = [
        Problem(number, column, _("This looks like a spreadsheet formula; please remove it."))
        for column, value in row.items()
        if value.startswith(FORMULA_PREFIXES)
    ]
    active = row.get("active", "").lower()
    if active not in YES | NO:
        problems.append(Problem(number, "active", _("Write yes or no.")))
    data = {
        "reference": row.get("reference", ""),
        "name": row.get("name", ""),
        "role": row.get("title", ""),
        "institution": row.get("institution", ""),
        "country": _country_code(row.get("country", "")),
        "email": row.get("email", ""),
        "contact_form_url": row.get("contact_form", ""),
        "active": active not in NO,
    }
    reference = data["reference"]
    if reference in seen:
        problems.append(
            Problem(
                number,
                "reference",
                _("This reference is already in row %(row)s.") % {"row": seen[reference]},
            )
        )
    seen.setdefault(reference, number)
    for name in _group_names(row.get("groups", "")):
        try:
            validate_single_line(name)
            if len(name) > 120:
                raise forms.ValidationError(_("A group name is longer than 120 characters."))
        except forms.ValidationError as error:
            problems.extend(Problem(number, "groups", message) for message in error.messages)
    form = TargetRowForm(data, instance=Target.objects.filter(reference=reference).first())
    for field_name, messages in form.errors.items():
        column = FIELD_COLUMNS.get(field_name, field_name if field_name != "__all__" else "")
        problems.extend(Problem(number, column, message) for message in messages)
    return form, problems


def _group(name: str) -> TargetGroup:
    group = TargetGroup.objects.filter(name=name).first()
    if group is None:
        base = slugify(name)[:70] or "group"
        slug, n = base, 1
        while TargetGroup.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        group = TargetGroup.objects.create(name=name, slug=slug)
    return group


def import_targets(data: bytes, *, progress=None) -> ImportReport:
    """Check every row of the CSV `data`; save all of them only if none has a problem.

    `progress(checked, rows)` is called as rows are checked, and `progress(None, rows)` once
    saving starts (in one transaction: all rows or none). Raises ImportRefused when the file
    as a whole cannot be read.
    """
    rows = read_rows(data)
    report = ImportReport()
    checked = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        form, problems = _check_row(number, row, seen)
        report.problems.extend(problems)
        checked.append((form, row))
        if progress and (number - 1) % PROGRESS_EVERY == 0:
            progress(number - 1, len(rows))
    if progress:
        progress(len(rows), len(rows))
    if report.problems:
        return report
    if progress:
        progress(None, len(rows))
    with transaction.atomic():
        for form, row in checked:
            groups = {_group(name) for name in _group_names(row.get("groups", ""))}
            is_new = form.instance.pk is None
            existing_groups = set() if is_new else set(form.instance.groups.all())
            if is_new:
                report.created += 1
            elif form.has_changed() or groups != existing_groups:
                report.updated += 1
            else:
                report.unchanged += 1
            target = form.save()
            target.groups.set(groups)
    return report


def run(target_import: TargetImport) -> None:
    """Carry out an uploaded import, keeping its progress and report on its row. Runs once:
    a second worker given the same import finds it claimed and does nothing."""
    claimed = TargetImport.objects.filter(
        pk=target_import.pk, status=TargetImport.Status.WAITING
    ).update(status=TargetImport.Status.CHECKING)
    if not claimed:
        return
    mine = TargetImport.objects.filter(pk=target_import.pk)

    def progress(checked, rows):
        if checked is None:
            mine.update(status=TargetImport.Status.SAVING, checked=rows, rows=rows)
        else:
            mine.update(checked=checked, rows=rows)

    with translation.override(target_import.language):
        try:
            report = import_targets(bytes(target_import.data), progress=progress)
        except ImportRefused as refused:
            mine.update(status=TargetImport.Status.REFUSED, report={"refused": str(refused)})
            return
    mine.update(
        status=TargetImport.Status.REFUSED if report.problems else TargetImport.Status.DONE,
        report={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "problems": [[p.row, p.column, p.message] for p in report.problems],
        },
    )
