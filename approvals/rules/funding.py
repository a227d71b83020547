"""Funding (资金保障): required against secured, by source, with evidence.

The one evidence rule for every total (gate, pages, PDFs, review facts, public notice): a source counts as
secured only with its evidence file (domain.md §3.1, notice: 资金来源须附证明材料); the amount of a source
without one is reported apart (``uncounted``) and never in ``secured``.
"""

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
    secured: Decimal  # the sources with evidence only
    unevidenced: tuple[int, ...]  # indexes of sources without an evidence file
    uncounted: Decimal = Decimal(0)  # what the sources without evidence state: listed, not secured

    @property
    def gap(self) -> Decimal:
        return max(self.required - self.secured, Decimal(0))

    @property
    def unevidenced_numbers(self) -> list[int]:
        """The sources without evidence as a person counts them (1-based), e.g. [1, 3]."""
        return [i + 1 for i in self.unevidenced]

    @property
    def is_secured(self) -> bool:
        """Every source evidenced and secured ≥ required (and something is required)."""
        return self.required > 0 and not self.unevidenced and self.secured >= self.required


def is_evidenced(source: dict[str, Any]) -> bool:
    """A source counts only with at least one uploaded evidence file (its ``attachments``, which the
    server fills from the stored files); the ``evidence`` text (document name and number) alone does not."""
    return bool(as_list(source.get("attachments")))


def counted_sources(funding: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The sources that count toward what is secured: those with evidence (see ``is_evidenced``)."""
    return [s for s in (as_dict(s) for s in as_list(as_dict(funding).get("sources"))) if is_evidenced(s)]


def _total(sources: list[dict[str, Any]]) -> Decimal:
    return sum((to_amount(s.get("amount")) or Decimal(0) for s in sources), Decimal(0))


def funding_status(funding: dict[str, Any] | None) -> FundingStatus:
    funding = as_dict(funding)
    required_items = as_dict(funding.get("required"))
    required = sum((to_amount(required_items.get(key)) or Decimal(0) for key in FUNDING_ITEMS), Decimal(0))
    sources = [as_dict(s) for s in as_list(funding.get("sources"))]
    unevidenced = tuple(i for i, s in enumerate(sources) if not is_evidenced(s))
    secured = _total(counted_sources(funding))
    return FundingStatus(required, secured, unevidenced, _total([sources[i] for i in unevidenced]))
