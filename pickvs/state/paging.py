"""Paging a list shown one page at a time: which page, the offset to read it at, and the labels.

`Paging.of(total, size, page)` clamps the page asked for (a page past the end is the last one,
anything below 1 is the first; an empty list has one, empty, page) and gives the offset to read
it at. States whose pager shows "Page X of N" mix in `PagedState` (`page`, `pages`, `has_prev`,
`has_next`, `page_label`); the others keep the figures under names of their own.
"""

from __future__ import annotations

import dataclasses
import math

import reflex as rx


@dataclasses.dataclass(frozen=True)
class Paging:
    page: int  # from 1, within 1..pages
    pages: int  # at least 1
    total: int
    size: int

    @classmethod
    def of(cls, total: int, size: int, page: int) -> Paging:
        pages = max(1, math.ceil(total / size))
        return cls(page=min(max(page, 1), pages), pages=pages, total=total, size=size)

    @classmethod
    def at_offset(cls, total: int, size: int, offset: int) -> Paging:
        """The page holding row `offset` (from 0)."""
        return cls.of(total, size, max(offset, 0) // size + 1)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def rows_label(self) -> str:
        """Which rows the page holds: "11 to 20 of 45" (with an en dash); "" for an empty list."""
        last = min(self.offset + self.size, self.total)
        return f"{self.offset + 1}\N{EN DASH}{last} of {self.total}" if self.total else ""


class PagedState(rx.State, mixin=True):
    """A list read one page at a time, with a "Page X of N" pager (`pages/pager.py`)."""

    page: int = 1
    pages: int = 1

    @rx.var
    def has_prev(self) -> bool:
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        return self.page < self.pages

    @rx.var
    def page_label(self) -> str:
        return f"Page {self.page} of {self.pages}"

    def _show_page(self, paging: Paging) -> None:
        self.page, self.pages = paging.page, paging.pages
