"""Page arithmetic for lists whose total is known (kept on a row, never counted per request)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a list: its items and enough to draw the pager."""

    number: int
    per_page: int
    total: int
    items: list[T] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and `size` around the current; None marks a gap."""
        wanted = {1, self.pages} | set(range(self.number - size, self.number + size + 1))
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in shown:
            if out and out[-1] is not None and n - out[-1] > 1:  # type: ignore[operator]
                out.append(None)
            out.append(n)
        return out


def clamp_page(requested: int | None, total: int, per_page: int) -> int:
    """A valid page number for a list of `total` items (out-of-range asks get the nearest page)."""
    last = max(1, -(-total // per_page))
    if not requested or requested < 1:
        return 1
    return min(requested, last)
