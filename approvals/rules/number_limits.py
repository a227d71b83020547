"""The range of every number the plan's content holds: checked in the core when a section is saved, so that the
web forms, the API and the CLI refuse the same number with the same 422 naming the field (as text_limits does
for text). A negative 在册职工数 was saved before, with only a completeness warning.

Counts of people are whole numbers from 0 to MAX_PEOPLE, the bound of every other count of people (an
enterprise's headcount, a vote's members: rules/congress.py); amounts in yuan are from 0 to MAX_AMOUNT, the
largest a stored amount column (Numeric(12, 2), e.g. wage_parameter) holds. A blank number is not yet filled
in: completeness asks for it at submission.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.rules.congress import MAX_PEOPLE
from approvals.rules.content import CHANNELS, FUNDING_ITEMS, SECTIONS, as_dict, as_list
from approvals.rules.funding import to_amount
from approvals.rules.text_limits import FIELD_IN_SECTION

MAX_AMOUNT = Decimal("9999999999.99")

COUNT_RANGE = N_("“%(field)s”须为0至%(maximum)s之间的整数（现为“%(value)s”）。")
AMOUNT_RANGE = N_("“%(field)s”须为0至%(maximum)s元之间的金额（现为“%(value)s”）。")

# The plan's counts of people, by section and field.
COUNTS: dict[str, dict[str, str]] = {
    "workforce": {"on_roll": N_("在册职工数"), "in_scope": N_("需安置职工数"), "excluded": N_("不纳入安置范围人数")},
    "channels": dict(CHANNELS),
}
# The plan's amounts in yuan, by section and field (the funding sources' amounts: SOURCE_AMOUNT).
AMOUNTS: dict[str, dict[str, str]] = {
    "arrears": {"wages": N_("拖欠职工工资"), "social_insurance": N_("欠缴社会保险费")},
    "severance": {"enterprise_average_wage": N_("企业月平均工资")},
    "internal_retirement": {"living_allowance": N_("内退生活费标准")},
}
REQUIRED_AMOUNT = N_("所需资金中的%(item)s")
SOURCE_AMOUNT = N_("第%(n)s项资金来源的金额")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _count_ok(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PEOPLE


def _amount_ok(value: Any) -> bool:
    amount = to_amount(value)  # a non-negative finite number, else None
    return amount is not None and amount <= MAX_AMOUNT


def _named(section: str, item: str | Text) -> Text:
    return Text(FIELD_IN_SECTION, section=Text(SECTIONS[section]), item=item if isinstance(item, Text) else Text(item))


def _problem(path: str, label: Text, value: Any, count: bool) -> dict[str, Any]:
    pattern, maximum = (COUNT_RANGE, MAX_PEOPLE) if count else (AMOUNT_RANGE, MAX_AMOUNT)
    return {"field": path, "rule": "count_range" if count else "amount_range", "minimum": 0, "maximum": str(maximum),
            "message": Text(pattern, field=label, maximum=maximum, value=str(value)[:30])}  # fmt: skip


def _problems(sections: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for table, count in ((COUNTS, True), (AMOUNTS, False)):
        for section, fields in table.items():
            data = as_dict(sections.get(section))
            for key, label in fields.items():
                value = data.get(key)
                if not _blank(value) and not (_count_ok(value) if count else _amount_ok(value)):
                    yield _problem(f"{section}.{key}", _named(section, label), value, count=count)
    funding = as_dict(sections.get("funding"))
    required = as_dict(funding.get("required"))
    for key, label in FUNDING_ITEMS.items():
        value = required.get(key)
        if not _blank(value) and not _amount_ok(value):
            yield _problem(f"funding.required.{key}", _named("funding", Text(REQUIRED_AMOUNT, item=Text(label))),
                           value, count=False)  # fmt: skip
    for number, source in enumerate(as_list(funding.get("sources")), start=1):
        value = as_dict(source).get("amount")
        if not _blank(value) and not _amount_ok(value):
            yield _problem(f"funding.sources[{number}].amount", _named("funding", Text(SOURCE_AMOUNT, n=number)),
                           value, count=False)  # fmt: skip


def check_numbers(sections: dict[str, Any]) -> None:
    """Raise a 422 naming every number of the sections out of its range (a negative count, a count that is
    no whole number, an amount below 0 or above MAX_AMOUNT)."""
    problems = list(_problems(sections))
    if problems:
        raise Invalid("number_out_of_range", problems[0]["message"], problems)
