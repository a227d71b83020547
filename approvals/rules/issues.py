"""A structured finding: which section and field, which rule, and what to tell the user."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Finding:
    section: str
    field: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
