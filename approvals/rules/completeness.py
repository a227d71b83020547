"""Completeness (方案是否完善): every missing or inconsistent item, never a generic error.

Each section has a checker yielding Findings; add a checker to CHECKS to extend the rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from approvals.rules.content import CHANNELS, FUNDING_ITEMS, FUNDING_SOURCES, SECTIONS, as_dict, as_list
from approvals.rules.funding import to_amount
from approvals.rules.issues import Finding

Content = dict[str, Any]
Checker = Callable[[Content], Iterator[Finding]]


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _required_text(section: str, data: dict[str, Any], fields: dict[str, str]) -> Iterator[Finding]:
    for field, label in fields.items():
        if not str(data.get(field) or "").strip():
            yield Finding(section, field, "required", f"{SECTIONS[section]}：缺少“{label}”。")


def check_profile(content: Content) -> Iterator[Finding]:
    profile = as_dict(content.get("profile"))
    yield from _required_text(
        "profile",
        profile,
        {"name": "企业名称", "uscc": "统一社会信用代码", "ownership": "所有制性质",
         "industry": "所属行业", "region_code": "所在地区"},
    )  # fmt: skip


def check_decapacity(content: Content) -> Iterator[Finding]:
    task = as_dict(content.get("decapacity"))
    amount = to_amount(task.get("capacity_withdrawn"))
    if amount is None or amount <= 0:
        yield Finding("decapacity", "capacity_withdrawn", "positive_number",
                      "化解过剩产能任务：退出产能须为大于0的数。")  # fmt: skip
    yield from _required_text("decapacity", task, {"unit": "产能单位", "year": "任务年度"})


def check_workforce(content: Content) -> Iterator[Finding]:
    workforce = as_dict(content.get("workforce"))
    on_roll, in_scope = _count(workforce.get("on_roll")), _count(workforce.get("in_scope"))
    excluded = _count(workforce.get("excluded", 0))
    if not on_roll:
        yield Finding("workforce", "on_roll", "positive_integer", "职工基本情况：在册职工数须为正整数。")
    if not in_scope:
        yield Finding("workforce", "in_scope", "positive_integer",
                      "职工基本情况：需安置职工数须为正整数。")  # fmt: skip
    elif on_roll and in_scope > on_roll:
        yield Finding("workforce", "in_scope", "not_above_on_roll",
                      f"职工基本情况：需安置职工数（{in_scope}）不得多于在册职工数（{on_roll}）。")  # fmt: skip
    if excluded is None:
        yield Finding("workforce", "excluded", "non_negative_integer",
                      "职工基本情况：不纳入安置范围人数须为非负整数。")  # fmt: skip
    elif excluded and not str(workforce.get("exclusion_reasons") or "").strip():
        yield Finding("workforce", "exclusion_reasons", "required_when_excluded",
                      "职工基本情况：有不纳入安置范围的职工时须说明原因（已解除劳动关系、已领取基本养老金等）。")  # fmt: skip


def check_channels(content: Content) -> Iterator[Finding]:
    channels = as_dict(content.get("channels"))
    total = 0
    for key, label in CHANNELS.items():
        count = _count(channels.get(key, 0))
        if count is None:
            yield Finding("channels", key, "non_negative_integer", f"安置渠道：“{label}”人数须为非负整数。")
        else:
            total += count
    in_scope = _count((as_dict(content.get("workforce"))).get("in_scope"))
    if in_scope and total != in_scope:
        yield Finding("channels", "total", "sum_equals_in_scope",
                      f"安置渠道：各渠道人数合计（{total}）应等于需安置职工数（{in_scope}）。")  # fmt: skip


def check_roster(content: Content) -> Iterator[Finding]:
    roster = as_list(content.get("roster"))
    if not roster:
        yield Finding("roster", "rows", "required", "职工实名制台账：尚未填报职工名单。")
        return
    by_channel: Counter[str] = Counter()
    for number, row in enumerate(roster, start=1):
        if not isinstance(row, dict):
            yield Finding("roster", f"rows[{number}]", "object", f"职工实名制台账第{number}行：格式不正确。")
            continue
        for field, label in (("id_number", "公民身份号码"), ("name", "姓名")):
            if not str(row.get(field) or "").strip():
                yield Finding("roster", f"rows[{number}].{field}", "required",
                              f"职工实名制台账第{number}行：缺少“{label}”。")  # fmt: skip
        channel = row.get("channel")
        if not isinstance(channel, str) or channel not in CHANNELS:
            yield Finding("roster", f"rows[{number}].channel", "known_channel",
                          f"职工实名制台账第{number}行：安置渠道“{channel or ''}”无效。")  # fmt: skip
        else:
            by_channel[channel] += 1
    in_scope = _count((as_dict(content.get("workforce"))).get("in_scope"))
    if in_scope and len(roster) != in_scope:
        yield Finding("roster", "rows", "count_equals_in_scope",
                      f"职工实名制台账：名单人数（{len(roster)}）应等于需安置职工数（{in_scope}）。")  # fmt: skip
    channels = as_dict(content.get("channels"))
    for key, label in CHANNELS.items():
        declared = _count(channels.get(key, 0))
        if declared is not None and declared != by_channel[key]:
            yield Finding("roster", f"channels.{key}", "count_equals_channel",
                          f"职工实名制台账：“{label}”名单人数（{by_channel[key]}）与安置渠道填报人数（{declared}）不一致。")  # fmt: skip


def check_funding(content: Content) -> Iterator[Finding]:
    funding = as_dict(content.get("funding"))
    required = as_dict(funding.get("required"))
    for key, label in FUNDING_ITEMS.items():
        if to_amount(required.get(key)) is None:
            yield Finding("funding", f"required.{key}", "non_negative_amount",
                          f"资金保障：“{label}”所需资金须填写非负金额（元），无此项填0。")  # fmt: skip
    sources = as_list(funding.get("sources"))
    if not sources:
        yield Finding("funding", "sources", "required", "资金保障：至少填写一项资金来源。")
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            yield Finding("funding", f"sources[{number}]", "object", f"资金保障第{number}项来源：格式不正确。")
            continue
        if not isinstance(source.get("source"), str) or source["source"] not in FUNDING_SOURCES:
            yield Finding("funding", f"sources[{number}].source", "known_source",
                          f"资金保障第{number}项来源：来源类别无效。")  # fmt: skip
        if to_amount(source.get("amount")) is None:
            yield Finding("funding", f"sources[{number}].amount", "non_negative_amount",
                          f"资金保障第{number}项来源：金额须为非负数（元）。")  # fmt: skip


def check_risk_assessment(content: Content) -> Iterator[Finding]:
    risk = as_dict(content.get("risk_assessment"))
    if _count(risk.get("open_disputes", None)) is None:
        yield Finding("risk_assessment", "open_disputes", "non_negative_integer",
                      "风险评估：须填写未结信访及集体劳动争议件数（无则填0）。")  # fmt: skip
    yield from _required_text(
        "risk_assessment", risk, {"assessment": "社会稳定风险评估结论", "emergency_plan": "应急处置预案"}
    )


CHECKS: list[Checker] = [
    check_profile,
    check_decapacity,
    check_workforce,
    check_channels,
    check_roster,
    check_funding,
    check_risk_assessment,
]


def missing_items(content: Content) -> list[Finding]:
    """Everything that keeps the plan from being complete, in the order of CHECKS."""
    return [finding for check in CHECKS for finding in check(content)]
