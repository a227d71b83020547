"""Reading the values of one part of an execution record, as a form or the API gives them: each bad value is
named by its field and rule, never dropped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from approvals.errors import Invalid
from approvals.execution.items import (
    DATE_FIELDS,
    FIELD_LABELS,
    OUTCOME_FIELD_LABELS,
    OUTCOME_FIELDS,
    OUTCOME_KINDS,
    PART_FIELDS,
)

TEXT_LIMIT = 100
CENT = Decimal("0.01")


class Problems:
    """The problems found in one part's values, raised together."""

    def __init__(self) -> None:
        self.details: list[dict[str, str]] = []

    def add(self, name: str, rule: str, message: str) -> None:
        self.details.append({"field": name, "rule": rule, "message": message})

    def raise_any(self) -> None:
        if self.details:
            raise Invalid(
                "invalid_execution_record", "；".join(d["message"] for d in self.details) + "。", self.details
            )


def _label(name: str) -> str:
    return FIELD_LABELS.get(name) or OUTCOME_FIELD_LABELS.get(name, name)


def read_date(values: dict[str, Any], name: str, problems: Problems, today: date, required: bool = True) -> date | None:
    given = values.get(name)
    if given in (None, ""):
        if required:
            problems.add(name, "required", f"请填写{_label(name)}")
        return None
    if isinstance(given, date):
        day = given
    else:
        try:
            day = date.fromisoformat(str(given).strip())
        except ValueError:
            problems.add(name, "date", f"{_label(name)}“{given}”不是有效日期（格式：2026-12-07）")
            return None
    if day > today and name not in ("ends_on",):
        problems.add(name, "not_future", f"{_label(name)}{day.isoformat()}晚于今天，只能登记已发生的事项")
        return None
    return day


def read_amount(values: dict[str, Any], name: str, problems: Problems) -> Decimal | None:
    given = values.get(name)
    if given in (None, ""):
        problems.add(name, "required", f"请填写{_label(name)}")
        return None
    try:
        amount = Decimal(str(given).strip().replace(",", ""))
    except InvalidOperation:
        problems.add(name, "amount", f"{_label(name)}“{given}”不是金额")
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e12"):
        problems.add(name, "amount", f"{_label(name)}须为不小于0、最多两位小数的金额")
        return None
    return amount


def read_text(values: dict[str, Any], name: str, problems: Problems) -> str | None:
    given = str(values.get(name) or "").strip()
    if not given:
        problems.add(name, "required", f"请填写{_label(name)}")
        return None
    if len(given) > TEXT_LIMIT:
        problems.add(name, "too_long", f"{_label(name)}不得超过{TEXT_LIMIT}个字")
        return None
    return given


def read_choice(values: dict[str, Any], name: str, choices: dict[str, str], problems: Problems) -> str | None:
    given = str(values.get(name) or "").strip()
    if given in choices:
        return given
    by_label = {label: key for key, label in choices.items()}
    if given in by_label:
        return by_label[given]
    problems.add(
        name, "choice", f"{_label(name)}应为{'、'.join(choices.values())}之一" if given else f"请选择{_label(name)}"
    )
    return None


def unknown_fields(part: str, values: dict[str, Any], problems: Problems) -> None:
    """A field the part does not hold is reported, never ignored."""
    known = set(PART_FIELDS[part]) | ({*OUTCOME_FIELD_LABELS} if part == "outcome" else set())
    for name in values:
        if name not in known:
            problems.add(name, "known_field", f"“{name}”不是“{part}”部分的字段")


def read_outcome(values: dict[str, Any], problems: Problems, today: date) -> tuple[str | None, dict[str, Any]]:
    """The outcome's kind and its facts (every field the kind needs), dates as ISO text."""
    kind = read_choice(values, "outcome_kind", OUTCOME_KINDS, problems)
    if kind is None:
        return None, {}
    facts: dict[str, Any] = {}
    source = values.get("outcome") if isinstance(values.get("outcome"), dict) else values
    for name in OUTCOME_FIELDS[kind]:
        if name in DATE_FIELDS:
            day = read_date(source, name, problems, today)
            facts[name] = day.isoformat() if day else None
        else:
            facts[name] = read_text(source, name, problems)
    return kind, facts
