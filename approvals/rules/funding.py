"""Funding (资金保障): required against secured, by source, with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from approvals.rules.content import FUNDING_ITEMS, as_dict, as_list


def to_amount(value: Any) -> Decimal | None:
    """A non-negative amount in yuan, or None when the value is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


@dataclass(frozen=True)
class FundingStatus:
    required: Decimal
    secured: Decimal
    unevidenced: tuple[int, ...]  # indexes of sources without an evidence file

    @property
    def gap(self) -> Decimal:
        return max(self.required - self.secured, Decimal(0))

    @property
    def is_secured(self) -> bool:
        """Every source evidenced and secured ≥ required (and something is required)."""
        return self.required > 0 and not self.unevidenced and self.secured >= self.required


def is_evidenced(source: dict[str, Any]) -> bool:
    """A source counts only with at least one uploaded evidence file (its ``attachments``, which the
    server fills from the stored files); the ``evidence`` text (document name and number) alone does not."""
    return bool(as_list(source.get("attachments")))


def funding_status(funding: dict[str, Any] | None) -> FundingStatus:
    funding = as_dict(funding)
    required_items = as_dict(funding.get("required"))
    required = sum((to_amount(required_items.get(key)) or Decimal(0) for key in FUNDING_ITEMS), Decimal(0))
    sources = [as_dict(s) for s in as_list(funding.get("sources"))]
    secured = sum((to_amount(s.get("amount")) or Decimal(0) for s in sources), Decimal(0))
    unevidenced = tuple(i for i, s in enumerate(sources) if not is_evidenced(s))
    return FundingStatus(required, secured, unevidenced)
