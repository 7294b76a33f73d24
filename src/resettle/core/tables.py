"""Column definitions for list pages (a small stand-in for NetBox's tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    """One column of a list page: a heading and how to read the cell from a row."""

    label: str | Promise
    accessor: str | Callable[[Any], Any]
    link: bool = False
    order_by: str | None = None

    def value(self, row: models.Model) -> Any:
        """The cell's value for a row (dotted paths follow relations; display for choices)."""
        if callable(self.accessor):
            return self.accessor(row)
        obj: Any = row
        for part in self.accessor.split("."):
            if obj is None:
                return ""
            display = getattr(obj, f"get_{part}_display", None)
            obj = display() if callable(display) else getattr(obj, part)
        return "" if obj is None else obj
