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
    PARTS,
)
from approvals.i18n import N_, Listing, Text

TEXT_LIMIT = 100
CENT = Decimal("0.01")


class Problems:
    """The problems found in one part's values, raised together."""

    def __init__(self) -> None:
        self.details: list[dict[str, Any]] = []

    def add(self, name: str, rule: str, message: Text) -> None:
        self.details.append({"field": name, "rule": rule, "message": message})

    def raise_any(self) -> None:
        if self.details:
            said = Text(N_("%(problems)s。"), problems=Listing([d["message"] for d in self.details]))
            raise Invalid("invalid_execution_record", said, self.details)


def _label(name: str) -> str:
    """The field's label, said in the reader's language (an unknown name as it is)."""
    label = FIELD_LABELS.get(name) or OUTCOME_FIELD_LABELS.get(name)
    return Text(label) if label else name


def read_date(values: dict[str, Any], name: str, problems: Problems, today: date, required: bool = True) -> date | None:
    given = values.get(name)
    if given in (None, ""):
        if required:
            problems.add(name, "required", Text(N_("请填写%(field)s"), field=_label(name)))
        return None
    if isinstance(given, date):
        day = given
    else:
        try:
            day = date.fromisoformat(str(given).strip())
        except ValueError:
            problems.add(name, "date", Text(N_("%(field)s“%(given)s”不是有效日期（格式：2026-12-07）"), field=_label(name),
                                            given=str(given)))  # fmt: skip
            return None
    if day > today and name not in ("ends_on",):
        problems.add(name, "not_future", Text(N_("%(field)s%(day)s晚于今天，只能登记已发生的事项"), field=_label(name),
                                              day=day.isoformat()))  # fmt: skip
        return None
    return day


def read_amount(values: dict[str, Any], name: str, problems: Problems) -> Decimal | None:
    given = values.get(name)
    if given in (None, ""):
        problems.add(name, "required", Text(N_("请填写%(field)s"), field=_label(name)))
        return None
    try:
        amount = Decimal(str(given).strip().replace(",", ""))
    except InvalidOperation:
        problems.add(name, "amount", Text(N_("%(field)s“%(given)s”不是金额"), field=_label(name), given=str(given)))
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e12"):
        problems.add(name, "amount", Text(N_("%(field)s须为不小于0、最多两位小数的金额"), field=_label(name)))
        return None
    return amount


def read_text(values: dict[str, Any], name: str, problems: Problems) -> str | None:
    given = str(values.get(name) or "").strip()
    if not given:
        problems.add(name, "required", Text(N_("请填写%(field)s"), field=_label(name)))
        return None
    if len(given) > TEXT_LIMIT:
        problems.add(name, "too_long", Text(N_("%(field)s不得超过%(limit)s个字"), field=_label(name), limit=TEXT_LIMIT))
        return None
    return given


def read_choice(values: dict[str, Any], name: str, choices: dict[str, str], problems: Problems) -> str | None:
    given = str(values.get(name) or "").strip()
    if given in choices:
        return given
    by_label = {label: key for key, label in choices.items()}
    if given in by_label:
        return by_label[given]
    accepted = Listing([Text(label) for label in choices.values()], N_("、"))
    problems.add(name, "choice", Text(N_("%(field)s应为%(choices)s之一"), field=_label(name), choices=accepted)
                 if given else Text(N_("请选择%(field)s"), field=_label(name)))  # fmt: skip
    return None


def unknown_fields(part: str, values: dict[str, Any], problems: Problems) -> None:
    """A field the part does not hold is reported, never ignored."""
    known = set(PART_FIELDS[part]) | ({*OUTCOME_FIELD_LABELS} if part == "outcome" else set())
    for name in values:
        if name not in known:
            problems.add(name, "known_field", Text(N_("“%(name)s”不是“%(part)s”部分的字段"), name=name,
                                                   part=Text(PARTS[part])))  # fmt: skip


def read_outcome(values: dict[str, Any], problems: Problems, today: date) -> tuple[str | None, dict[str, Any]]:
    """The outcome's kind and its facts (every field the kind needs), dates as ISO text."""
    kind = read_choice(values, "outcome_kind", OUTCOME_KINDS, problems)
    if kind is None:
        return None, {}
    facts: dict[str, Any] = {}
    nested = values.get("outcome")
    source: dict[str, Any] = nested if isinstance(nested, dict) else values
    for name in OUTCOME_FIELDS[kind]:
        if name in DATE_FIELDS:
            day = read_date(source, name, problems, today)
            facts[name] = day.isoformat() if day else None
        else:
            facts[name] = read_text(source, name, problems)
    return kind, facts
