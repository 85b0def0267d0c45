"""Officials imported and updated from a CSV file, all or nothing, after a preview.

Every row is checked first, with the model's own validation (the same rules and messages as
the admin form); one problem anywhere and nothing is saved, and the report lists each
problem by row and column. Rows are matched to existing officials by `reference`; officials
missing from the file are left as they are.

Officials are shared by every campaign that writes to their groups, so an import first only
previews what it would do: new officials, changed ones with each field's old and new value
and the campaigns the change reaches, and how many are unchanged. It saves once an admin
confirms, and only if the officials are still as the preview found them.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from tadamun.coalition.models import Campaign
from tadamun.core import imports
from tadamun.core.imports import ImportRefused, Problem, formula_problems
from tadamun.core.text import validate_single_line
from tadamun.letters.models import Target, TargetGroup, TargetImport

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED_COLUMNS = ["reference", "name", "title", "institution", "country"]
OPTIONAL_COLUMNS = ["email", "contact_form", "groups", "active"]
# The model's fields under their column names.
FIELD_COLUMNS = {"role": "title", "contact_form_url": "contact_form"}
YES = {"", "1", "yes", "y", "true", "x"}
NO = {"0", "no", "n", "false"}


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
    header, rows = imports.read_table(data, max_rows=MAX_ROWS)
    _check_header(header)
    return [dict(zip(header, row, strict=False)) for row in rows]


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


OWN_GROUP_PREFIX = "campaign-"


def campaign_group(campaign) -> TargetGroup:
    """A member organisation's campaign's own officials (made on its first import): what its
    organisers import goes here, never into a group other campaigns write to."""
    group, _created = TargetGroup.objects.get_or_create(
        slug=f"{OWN_GROUP_PREFIX}{campaign.pk}-officials",
        defaults={"name": f"{campaign.title} ({campaign.organisation})"[:120]},
    )
    return group


def _shared(target: Target, own: TargetGroup) -> bool:
    """Whether an official is another campaign's too (or the coalition's, in no group)."""
    return set(target.groups.values_list("pk", flat=True)) != {own.pk}


def _check_row(
    number: int, row: dict, seen: dict, own: TargetGroup | None = None
) -> tuple[TargetRowForm, list[Problem]]:
    problems = formula_problems(number, row)
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
    existing = Target.objects.filter(reference=reference).first()
    if own is not None and existing is not None and _shared(existing, own):
        problems.append(
            Problem(
                number,
                "reference",
                _(
                    "This reference is an official other campaigns write to: only the "
                    "coalition's admins change it. Give your official another reference."
                ),
            )
        )
    form = TargetRowForm(data, instance=existing)
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


@dataclass
class CheckedRow:
    number: int
    form: TargetRowForm
    groups: list[str]  # names, as in the file

    def changes(self) -> list[list[str]]:
        """[column, value now, value in the file] for each field the row changes."""
        if self.form.instance.pk is None:
            return []
        changes = [
            [
                FIELD_COLUMNS.get(name, name),
                _shown(self.form.initial.get(name)),
                _shown(self.form.cleaned_data.get(name)),
            ]
            for name in self.form.changed_data
        ]
        groups_now = sorted(self.form.instance.groups.values_list("name", flat=True))
        if groups_now != sorted(self.groups):
            changes.append(["groups", " | ".join(groups_now), " | ".join(sorted(self.groups))])
        return changes

    def campaigns(self) -> list[str]:
        """The campaigns that write to the official through their groups, now or after the
        import (any status: a draft or an archived campaign counts too)."""
        groups = Q(letter_campaigns__group__name__in=self.groups)
        if self.form.instance.pk:
            groups |= Q(letter_campaigns__group__targets=self.form.instance)
        return sorted({str(campaign) for campaign in Campaign.objects.filter(groups)})


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def check_targets(
    data: bytes, *, progress=None, campaign=None
) -> tuple[list[CheckedRow], list[Problem]]:
    """Every row of the CSV `data`, checked; `progress(checked, rows)` is called as rows are
    checked. Raises ImportRefused when the file as a whole cannot be read.

    With `campaign` (an organisation's), every official goes to the campaign's own group
    whatever the `groups` column says, and a row naming a shared official is refused."""
    rows = read_rows(data)
    checked, problems = [], []
    seen: dict[str, int] = {}
    own = campaign_group(campaign) if campaign is not None else None
    for number, row in enumerate(rows, start=2):
        form, row_problems = _check_row(number, row, seen, own)
        problems.extend(row_problems)
        groups = [own.name] if own is not None else _group_names(row.get("groups", ""))
        checked.append(CheckedRow(number, form, groups))
        if progress:
            progress(number - 1, len(rows))
    if progress:
        progress(len(rows), len(rows))
    return checked, problems


def preview(checked: list[CheckedRow]) -> dict:
    """What saving the rows would do (JSON, kept on the job for the admin to read)."""
    new, changed, unchanged = [], [], 0
    for row in checked:
        target = row.form.instance
        entry = {"row": row.number, "reference": target.reference, "name": target.name}
        if target.pk is None:
            new.append(entry)
        elif changes := row.changes():
            changed.append({**entry, "changes": changes, "campaigns": row.campaigns()})
        else:
            unchanged += 1
    return {"new": new, "changed": changed, "unchanged": unchanged}


def import_targets(
    data: bytes, *, progress=None, previewed: dict | None = None, campaign=None
) -> ImportReport:
    """Check every row of the CSV `data`; save all of them only if none has a problem and,
    given the `previewed` result an admin confirmed, only if it still holds.

    `progress(checked, rows)` is called as rows are checked, and `progress(None, rows)` once
    saving starts (in one transaction: all rows or none). Raises ImportRefused when the file
    as a whole cannot be read, or the officials changed since the preview.
    """
    checked, problems = check_targets(data, progress=progress, campaign=campaign)
    report = ImportReport(problems=problems)
    if problems:
        return report
    if progress:
        progress(None, len(checked))
    with transaction.atomic():
        if previewed is not None and preview(checked) != previewed:
            raise ImportRefused(
                _(
                    "The officials have changed since this file was checked. Upload it again "
                    "to see what it would change now."
                )
            )
        for row in checked:
            if row.form.instance.pk is None:
                report.created += 1
            elif row.changes():
                report.updated += 1
            else:
                report.unchanged += 1
            target = row.form.save()
            if campaign is not None:
                target.groups.set([campaign_group(campaign)])
            else:
                target.groups.set({_group(name) for name in row.groups})
        if campaign is not None and (report.created or report.updated):
            _write_to_own_group(campaign)
    return report


def _write_to_own_group(campaign) -> None:
    """The campaign writes to its own officials now; new addressees are words a moderator
    reads again before the public sees them (member_actions.resubmit_if_reworded)."""
    from tadamun.coalition import member_actions

    campaign.group = campaign_group(campaign)
    member_actions.resubmit_if_reworded(campaign, ["group"])
    campaign.save(update_fields=["group", "review", "updated_at"])


def run(target_import: TargetImport) -> None:
    """Preview an uploaded import of officials or, once an admin confirmed the preview,
    save it (core.imports.run)."""
    if target_import.confirmed_at is None:

        def do_preview(job, progress):
            checked, problems = check_targets(
                bytes(job.data), progress=progress, campaign=job.letter_campaign
            )
            return {"preview": preview(checked) if not problems else {}}, problems

        imports.run(target_import, do_preview, preview=True)
        return

    def do_import(job, progress):
        report = import_targets(
            bytes(job.data),
            progress=progress,
            previewed=job.report.get("preview"),
            campaign=job.letter_campaign,
        )
        counts = {"created": report.created, "updated": report.updated}
        return {**counts, "unchanged": report.unchanged}, report.problems

    imports.run(target_import, do_import)
