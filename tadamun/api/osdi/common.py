"""What every OSDI resource shares: the partner's token, the one router and its HAL+JSON routes
(`hal`), links, paging as the standard defines it, the modified_date filter, the JSON 404 and
the audit note of what a token read."""

import math
import re
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyHeader

from tadamun.api.models import token_for
from tadamun.api.schemas import Error, Hal
from tadamun.core.audit import record_export
from tadamun.supporters import partners

MAX_PER_PAGE = 25
# `modified_date gt '2026-11-01'`, or with a time: '2026-11-01T12:00:00Z'.
FILTER = re.compile(
    r"^modified_date (gt|ge|lt|le) "
    r"'(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?)'$"
)


LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


class PartnerToken(APIKeyHeader):
    """A partner's token, or the coalition's own; `request.reader` is what it may read
    (supporters.partners.reader). The coalition's token only reads. It is known by its keyed
    hash: while the vault is locked, every call is refused here, before anything of it is
    done or counted (vault.Locked: a JSON 503 with Retry-After)."""

    param_name = "OSDI-API-Token"

    def authenticate(self, request, key):
        token = token_for(key or "")
        if token is None:
            return None
        request.reader = partners.reader(token.organisation)
        if request.method != "GET" and not request.reader.writes:
            raise HttpError(403, "The coalition's token reads; it writes nothing.")
        if is_ratelimited(
            request,
            group="osdi",
            key=lambda _group, _request: token.key_hash,
            rate=settings.OSDI_RATE,
            increment=True,
        ):
            raise HttpError(429, "Too many requests for this token; slow down.")
        type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


router = Router(tags=["osdi"], auth=PartnerToken())


ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), Error)


def hal(method: str, path: str, answer: type[Hal], **options):
    """A route answering the HAL+JSON document `answer` (its keys by their aliases: `_links`,
    `_embedded`, `osdi:...`; absent rather than null when empty), or an Error. Its operation id
    is the one it had when the API was one module (`tadamun_api_osdi_<view>`): the partners'
    generated clients name the operations by it, wherever the view now lives. A write is all
    or nothing: one that fails midway (the vault locked meanwhile) leaves nothing behind."""

    def route(view):
        run = view if method == "GET" else transaction.atomic(view)
        return router.api_operation(
            [method],
            path,
            response={200: answer, **ERRORS},
            by_alias=True,
            exclude_none=True,
            operation_id=f"tadamun_api_osdi_{view.__name__}",
            **options,
        )(run)

    return route


def base() -> str:
    return settings.SITE_URL + reverse("api:osdi_entry")


def link(path: str = "") -> dict:
    return {"href": base() + path}


# Paging as the standard defines it
class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(MAX_PER_PAGE, ge=1, le=MAX_PER_PAGE)


class FilteredPaging(Paging):
    """Paging of a collection whose items carry a modified_date."""

    filter: str | None = Field(None, max_length=100, pattern=FILTER.pattern)


def modified_since(queryset, expression: str | None, field: str):
    """`modified_date gt '2026-11-01'` (gt, ge, lt, le; a date or an ISO date and time)."""
    if not expression:
        return queryset
    match = FILTER.match(expression)
    try:
        when = match and (parse_datetime(match[2]) or parse_date(match[2]))
    except ValueError:  # well formed, but no such day or hour ('2026-02-31')
        when = None
    if not when:
        raise HttpError(400, "Filter as: modified_date gt '2026-11-01T00:00:00Z'.")
    if not isinstance(when, datetime):
        when = datetime.combine(when, datetime.min.time())
    if timezone.is_naive(when):
        when = when.replace(tzinfo=UTC)
    return queryset.filter(**{f"{field}__{LOOKUPS[match[1]]}": when})


def no_filter(request) -> None:
    """Collections whose items carry no modified_date refuse a filter rather than ignore it
    (it is not among their documented parameters)."""
    if "filter" in request.GET:
        raise HttpError(400, "This collection takes no filter.")


def exported(request, what: str) -> None:
    """Note in the audit trail what the token read."""
    record_export(request.auth, what, by=request.reader.label)


def one_or_404(queryset, **lookup):
    """The one row of `queryset` matching `lookup`, else a JSON 404."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise HttpError(404, "Not found.")
    return found


def page_of(queryset, paging: Paging, name: str, path: str, out) -> dict:
    total = queryset.count()
    pages = max(1, math.ceil(total / paging.per_page))
    if paging.page > pages:
        raise HttpError(404, f"There are {pages} pages.")
    start = (paging.page - 1) * paging.per_page
    items = [out(item) for item in queryset[start : start + paging.per_page]]

    def page_link(page):
        query = {"page": page, "per_page": paging.per_page}
        if getattr(paging, "filter", None):
            query["filter"] = paging.filter  # the next page of the same selection
        return link(f"{path}?{urlencode(query)}")

    links = {
        "self": page_link(paging.page),
        f"osdi:{name}": [item["_links"]["self"] for item in items],
    }
    if paging.page < pages:
        links["next"] = page_link(paging.page + 1)
    if paging.page > 1:
        links["previous"] = page_link(paging.page - 1)
    return {
        "total_pages": pages,
        "per_page": paging.per_page,
        "page": paging.page,
        "total_records": total,
        "_links": links,
        "_embedded": {f"osdi:{name}": items},
    }
