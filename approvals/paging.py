"""One page of a longer list: the shape the `pager` macro reads (as Flask-SQLAlchemy's pagination)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list (the shape the `pager` macro reads)."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, items: list[T], page: int, per_page: int) -> Page[T]:
        """A page of a list already in memory."""
        page = min(max(page, 1), max(1, math.ceil(len(items) / per_page)))
        return cls(items[(page - 1) * per_page : page * per_page], page, per_page, len(items))

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
