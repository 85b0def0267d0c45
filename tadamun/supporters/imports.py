"""Supporters imported from another tool's CSV export, all or nothing (core.imports).

Columns are read by name, in any case, under the names Action Network's and common tools'
exports give them (ALIASES); other columns are ignored. Every row is checked first; one
problem anywhere and nothing is saved. A person already here (same address) keeps what they
told the site: the file only fills what is missing and adds tags. Someone new who is not
marked subscribed is not kept (a record with no consent and no action is not ours to hold).
An erased person's address is new: erasure left nothing to revive.

Consent: a row marked subscribed gets the coalition's word for it, as a consent record whose
wording says so (consents.IMPORTED) and whose source says who imported it, from which tool,
when. The site mails nobody on that word alone (consents.HELD) until the person confirms it.
"""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_countries import countries

from tadamun.core import imports
from tadamun.core.audit import record_import
from tadamun.core.imports import ImportRefused, Problem, formula_problems
from tadamun.core.privacy import email_hash
from tadamun.core.tasks import enqueue_on_commit
from tadamun.core.text import validate_single_line
from tadamun.supporters import consents
from tadamun.supporters.models import Consent, Supporter, SupporterImport, Tag

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
BATCH = 1000
# The field each column name stands for, lower case.
ALIASES = {
    "email": ["email", "email address", "email_address", "e-mail", "mail"],
    "name": ["name", "full name", "full_name"],
    "first": ["first name", "first_name", "firstname", "given_name", "given name"],
    "last": ["last name", "last_name", "lastname", "family_name", "family name", "surname"],
    "country": ["country", "country code", "country_code", "can2_country"],
    "postal_code": ["postal code", "postal_code", "postcode", "zip", "zip_code", "zip code"],
    "language": ["language", "languages_spoken", "lang", "locale"],
    "tags": ["tags", "tag", "can2_user_tags"],
    "subscribed": [
        "subscribed",
        "subscription status",
        "subscription_status",
        "email_subscription_status",
        "can2_subscription_status",
        "status",
    ],
    "created": ["created", "created date", "created_date", "created_at", "date", "joined"],
}
COLUMN_OF = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
SUBSCRIBED = {"subscribed", "yes", "y", "true", "1", "x"}
NOT_SUBSCRIBED = {"", "unsubscribed", "no", "n", "false", "0", "bouncing", "spam"}
TAG_SEPARATORS = re.compile(r"[,;|]")


def read_rows(data: bytes) -> list[dict[str, str]]:
    """The rows as dictionaries keyed by field (ALIASES), the column each came from kept
    for the report in `_columns`."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 20 MB. Please split it."))
    header, rows = imports.read_table(data, max_rows=MAX_ROWS)
    fields = [COLUMN_OF.get(name) for name in header]
    known = [field for field in fields if field]
    if len(set(known)) != len(known):
        raise ImportRefused(_("Two columns of the file say the same thing (such as the email)."))
    if "email" not in known:
        raise ImportRefused(
            _("The file has no email column. Its name may be: %(names)s.")
            % {"names": ", ".join(ALIASES["email"])}
        )
    columns = {field: name for field, name in zip(fields, header, strict=True) if field}
    return [
        {"_columns": columns, **{f: v for f, v in zip(fields, row, strict=False) if f}}
        for row in rows
    ]


def _language(value: str) -> str | None:
    code = re.split(r"[-_]", value.strip().lower())[0] if value.strip() else ""
    if not code:
        return settings.LANGUAGE_CODE
    return code if code in dict(settings.LANGUAGES) else None


def _created(value: str):
    if not value:
        return None
    try:
        when = parse_datetime(value) or parse_date(value)
    except ValueError:
        when = None
    if when is None:
        raise ValueError
    if not isinstance(when, datetime):
        when = datetime.combine(when, datetime.min.time())
    return when.replace(tzinfo=UTC) if timezone.is_naive(when) else when


def check_row(number: int, row: dict, seen: dict) -> tuple[dict, list[Problem]]:
    """The person of one row as it will be kept, and the row's problems."""
    column = row["_columns"]
    cells = {field: value for field, value in row.items() if field != "_columns"}
    problems = formula_problems(number, {column[f]: v for f, v in cells.items()})

    def problem(field, message):
        problems.append(Problem(number, column.get(field, field), message))

    email = cells.get("email", "")
    try:
        validate_email(email)
    except ValidationError:
        problem("email", _("Enter a valid email address."))
    key = email_hash(email) if email else ""
    if key and key in seen:
        problem("email", _("This address is already in row %(row)s.") % {"row": seen[key]})
    seen.setdefault(key, number)
    name = cells.get("name") or " ".join(
        part for part in (cells.get("first", ""), cells.get("last", "")) if part
    )
    for field, text, limit in (
        ("name", name, 200),
        ("postal_code", cells.get("postal_code", ""), 16),
    ):
        try:
            validate_single_line(text)
            if len(text) > limit:
                problem(field, _("At most %(limit)s characters.") % {"limit": limit})
        except ValidationError as error:
            problems.extend(Problem(number, column.get(field, field), m) for m in error.messages)
    country = cells.get("country", "")
    code = country.upper() if country.upper() in countries.countries else countries.by_name(country)
    if country and not code:
        problem("country", _("Unknown country: write its two-letter code."))
    language = _language(cells.get("language", ""))
    if language is None:
        problem("language", _("Unknown language: write its code (ar, de, en, es, fr, tr)."))
    status = cells.get("subscribed", "").lower()
    if status not in SUBSCRIBED | NOT_SUBSCRIBED:
        problem("subscribed", _("Write subscribed or unsubscribed."))
    try:
        created = _created(cells.get("created", ""))
        if created and created > timezone.now():
            problem("created", _("This date is in the future."))
    except ValueError:
        problem("created", _("Write the date as 2026-03-31 (or with a time: 2026-03-31 14:00)."))
        created = None
    tags = [" ".join(t.split()) for t in TAG_SEPARATORS.split(cells.get("tags", "")) if t.strip()]
    for tag in tags:
        if len(tag) > 60 or "\n" in tag:
            problem("tags", _("A tag has at most 60 characters."))
    person = {
        "email": email,
        "email_hash": key,
        "name": name,
        "country": code or "",
        "language": language,
        "subscribed": status in SUBSCRIBED,
        "created": created,
        "tags": tags,
    }
    return person, problems


def import_supporters(job: SupporterImport, progress=None) -> tuple[dict, list[Problem]]:
    """Check every row of the job's file; save them all only if none has a problem."""
    rows = read_rows(bytes(job.data))
    people, problems, seen = [], [], {}
    for number, row in enumerate(rows, start=2):
        person, found = check_row(number, row, seen)
        people.append(person)
        problems.extend(found)
        if progress:
            progress(number - 1, len(rows))
    if problems:
        return {}, problems
    if progress:
        progress(None, len(rows))
    with transaction.atomic():
        counts = _save(job, people)
    record_import(job, f"supporters import {job.pk}: {len(people)} rows from {job.tool}")
    return counts, []


def provenance(job: SupporterImport) -> str:
    """Who said the person asked for the coalition's news, where and when (Consent.source):
    the import's number, then in words."""
    by = job.uploaded_by.get_username() if job.uploaded_by else "?"
    return (
        f"import {job.pk}: imported from {job.tool} on {job.created_at:%Y-%m-%d} by {by[:30]}, "
        "consent stated by the coalition"
    )[:120]


def held_people(job: SupporterImport):
    """The people this import said wanted the coalition's news and who have not said so
    themselves since (they get no mail until they do)."""
    stated = Consent.objects.active().filter(wording=consents.IMPORTED, source=provenance(job))
    own = Consent.objects.active().filter(purpose=Consent.Purpose.UPDATES)
    own = own.exclude(wording__in=consents.HELD)
    return Supporter.objects.filter(pk__in=stated.values("supporter")).exclude(
        pk__in=own.values("supporter")
    )


def ask_to_confirm(job: SupporterImport) -> int:
    """The re-permission mailing: email each held person of the import, once, the question
    whether they want the coalition's news (their yes is their own consent). Returns how
    many are asked; 0 if this import's people were asked already."""
    from tadamun.supporters.tasks import send_news_question

    claimed = SupporterImport.objects.filter(
        pk=job.pk, status=SupporterImport.Status.DONE, asked_at__isnull=True
    ).update(asked_at=timezone.now())
    if not claimed:
        return 0
    ids = list(held_people(job).values_list("pk", flat=True))
    for supporter_id in ids:
        enqueue_on_commit(send_news_question, supporter_id)
    return len(ids)


def _save(job: SupporterImport, people: list[dict]) -> dict:
    existing = {}
    for start in range(0, len(people), BATCH):
        hashes = [person["email_hash"] for person in people[start : start + BATCH]]
        existing.update(
            (supporter.email_hash, supporter)
            for supporter in Supporter.objects.filter(email_hash__in=hashes)
        )
    # Someone new who did not ask for the coalition's news is not kept: a record with no
    # consent and no action is what retention deletes (supporters.retention).
    new = [
        Supporter(
            email=p["email"],
            email_hash=p["email_hash"],
            name=p["name"],
            country=p["country"],
            language=p["language"],
            source="import",
        )
        for p in people
        if p["email_hash"] not in existing and p["subscribed"]
    ]
    Supporter.objects.bulk_create(new, batch_size=BATCH)
    made = {s.email_hash: s for s in new}
    dated = []
    everyone = {**existing, **made}
    by_hash = {p["email_hash"]: p for p in people if p["email_hash"] in everyone}
    for key, supporter in made.items():
        if by_hash[key]["created"]:
            supporter.created_at = by_hash[key]["created"]
            dated.append(supporter)
    Supporter.objects.bulk_update(dated, ["created_at"], batch_size=BATCH)
    filled = []
    for key, supporter in existing.items():
        person = by_hash[key]
        changed = [f for f in ("name", "country") if person[f] and not getattr(supporter, f)]
        for field in changed:
            setattr(supporter, field, person[field])
        if changed:
            filled.append(supporter)
    Supporter.objects.bulk_update(filled, ["name", "country"], batch_size=BATCH)
    # Anyone who already answered here (yes, or yes then no) keeps their own answer: the
    # coalition's word neither doubles a yes nor overrides a withdrawal.
    asked = set(
        Consent.objects.filter(
            purpose=Consent.Purpose.UPDATES, supporter__in=everyone.values()
        ).values_list("supporter__email_hash", flat=True)
    )
    source = provenance(job)
    Consent.objects.bulk_create(
        [
            Consent(
                supporter=everyone[key],
                purpose=Consent.Purpose.UPDATES,
                wording=consents.IMPORTED,
                source=source,
            )
            for key, person in by_hash.items()
            if person["subscribed"] and key not in asked
        ],
        batch_size=BATCH,
    )
    names = {tag for person in by_hash.values() for tag in person["tags"]}
    tags = {name: Tag.objects.get_or_create(organisation=None, name=name)[0] for name in names}
    Supporter.tags.through.objects.bulk_create(
        [
            Supporter.tags.through(supporter_id=everyone[key].pk, tag_id=tags[name].pk)
            for key, person in by_hash.items()
            for name in person["tags"]
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    skipped = len(people) - len(new) - len(existing)
    return {"created": len(new), "updated": len(existing), "skipped": skipped}


def run(job: SupporterImport) -> None:
    imports.run(job, import_supporters)
