"""Pagination that never counts more than it shows.

An exact COUNT(*) over a million rows costs more than the page itself, so lists count at most
``COUNT_CAP + 1`` rows and show "10,000+" beyond (as the Django admin's
``show_full_result_count = False`` does). A user who needs the exact figure narrows the filter.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

COUNT_CAP = 10_000
# The highest page number a list takes (API: 422 beyond; pages: the last page). A larger one
# overflows the database's OFFSET (OverflowError, a 500) before it could name a row.
MAX_PAGE = 1_000_000


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """``(count, exact)``: the exact count up to ``cap``, else ``(cap, False)``."""
    cap = cap or COUNT_CAP
    found = queryset.order_by()[: cap + 1].count()
    return (found, True) if found <= cap else (cap, False)


def first_page_and_count(
    queryset: QuerySet[Any], page_size: int, cap: int | None = None
) -> tuple[list[Any], int, bool]:
    """The first page, and the (capped) count: no count query when everything fits on it.

    A rare search term then scans the table once instead of twice.
    """
    head = list(queryset[: page_size + 1])
    if len(head) <= page_size:
        return head, len(head), True
    return head[:page_size], *capped_count(queryset, cap)


class ExactPaginator(Paginator):
    """For a list already in memory (computed on arrays, a few dozen rows): the count is exact
    and free."""

    count_exact = True


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``COUNT_CAP``; pages beyond it are not offered."""

    @cached_property
    def _first(self) -> tuple[list[Any], int, bool]:
        return first_page_and_count(self.object_list, self.per_page)  # type: ignore[arg-type]

    @cached_property
    def count_exact(self) -> bool:
        return self._first[2]

    @cached_property
    def count(self) -> int:
        return self._first[1]

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        if number == 1:
            return self._get_page(self._first[0], number, self)  # type: ignore[attr-defined]
        return super().page(number)
