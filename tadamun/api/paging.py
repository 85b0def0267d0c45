"""Pages of API lists: `page` (from 1) and `page_size` (up to 100); the answer carries the
items, the count, the page and the number of pages. A page past the end is a 404."""

import math
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 100


class Mapped:
    """A queryset (or list) whose items are turned into the API's shape one page at a time,
    so a list of thousands of events never builds more than one page."""

    def __init__(self, items, out):
        self.items = items
        self.out = out

    def __len__(self) -> int:
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    def __getitem__(self, window: slice) -> list:
        return [self.out(item) for item in self.items[window]]


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset: Mapped, pagination: Input, **params) -> dict:
        count = len(queryset)
        pages = max(1, math.ceil(count / pagination.page_size))
        if pagination.page > pages:
            raise HttpError(404, f"There are {pages} pages.")
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": queryset[start : start + pagination.page_size],
            "count": count,
            "page": pagination.page,
            "pages": pages,
        }
