"""How the plan page shows the plan's content: every field of every section with its label and kind,
and the labels of a changed field's path in a revision diff."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.web.i18n import amount
from approvals.i18n import N_
from approvals.models import INDUSTRIES
from approvals.roster.columns import AMOUNT as AMOUNT_COLUMN
from approvals.roster.columns import BY_KEY
from approvals.rules.content import CHANNELS, FUNDING_ITEMS, SECTIONS, TEXT_SECTIONS, as_dict
from approvals.rules.register import with_register_flags
from approvals.rules.severance import DEFAULT_GROUND, DEFAULT_METHOD, PRE2008_METHODS, TERMINATION_GROUNDS

TEXT, COUNT, AMOUNT, NUMBER, DATE, FLAG, CHOICE = "text", "count", "amount", "number", "date", "flag", "choice"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = TEXT
    choices: dict[str, str] | None = None  # stored value -> label, for CHOICE
    default: Any = None  # what the plan follows when the field is not stated


def _text(section: str) -> list[Field]:
    return [Field(key, label) for key, label in TEXT_SECTIONS[section].items()]


FIELDS: dict[str, list[Field]] = {
    "profile": [
        Field("name", N_("企业名称")),
        Field("uscc", N_("统一社会信用代码")),
        Field("ownership", N_("所有制性质")),
        Field("industry", N_("所属行业"), CHOICE, INDUSTRIES),
        Field("region_code", N_("所在地区")),
        Field("parent_group", N_("上级集团公司")),
        Field("zombie", N_("拟出清的僵尸企业"), FLAG),
    ],
    "decapacity": [
        Field("capacity_withdrawn", N_("退出产能"), NUMBER),
        Field("unit", N_("产能单位")),
        Field("year", N_("任务年度")),
    ],
    "workforce": [
        Field("on_roll", N_("在册职工数"), COUNT),
        Field("in_scope", N_("需安置职工数"), COUNT),
        Field("excluded", N_("不纳入安置范围人数"), COUNT),
        Field("exclusion_reasons", N_("不纳入安置范围的原因")),
    ],
    "channels": [Field(key, label, COUNT) for key, label in CHANNELS.items()],
    "labour_relations": _text("labour_relations"),
    "severance": [
        Field("reference_date", N_("经济补偿计算基准日"), DATE),
        Field(
            "termination_ground",
            N_("解除或终止劳动合同的依据（名单未逐人填写时）"),
            CHOICE,
            {key: ground.label for key, ground in TERMINATION_GROUNDS.items()},
            DEFAULT_GROUND,
        ),
        Field("pre2008_method", N_("2008年前工作年限计算办法"), CHOICE, PRE2008_METHODS, DEFAULT_METHOD),
        Field("enterprise_average_wage", N_("企业月平均工资（元）"), AMOUNT),
        *_text("severance"),
    ],
    "arrears": [
        Field("wages", N_("拖欠职工工资（元）"), AMOUNT),
        Field("social_insurance", N_("欠缴社会保险费（元）"), AMOUNT),
        *_text("arrears"),
    ],
    "social_insurance": _text("social_insurance"),
    "internal_retirement": [
        Field("living_allowance", N_("内退生活费标准（元/月）"), AMOUNT),
        Field("terms", N_("内部退养办法")),
    ],
    "funding": [],  # its own table: required items, sources, evidence and gap
    "reemployment": _text("reemployment"),
    "protected_groups": _text("protected_groups"),
    "risk_assessment": [
        Field("open_disputes", N_("未结信访及集体劳动争议件数"), COUNT),
        Field("assessment", N_("社会稳定风险评估结论")),
        Field("emergency_plan", N_("应急处置预案")),
    ],
    "timetable": [
        *_text("timetable"),
        Field("union_explanation_date", N_("向工会或全体职工说明情况的日期"), DATE),
        Field("termination_date", N_("解除劳动合同的日期"), DATE),
    ],
    "opinions": [Field("solicited_on", N_("听取意见的日期"), DATE), *_text("opinions")],
}
FUNDING_FIELDS = {
    "required": N_("所需资金"),
    "sources": N_("资金来源"),
    "source": N_("来源类别"),
    "amount": N_("金额（元）"),
    "evidence": N_("证明材料"),
}
# Roster fields outside the import template's columns (approvals/services/roster.py roster_snapshot).
ROSTER_FIELDS = {
    "name": N_("姓名"),
    "channel": N_("安置渠道"),
    "in_scope": N_("纳入安置范围"),
    "severance": N_("经济补偿（元）"),
    "medical_subsidy": N_("医疗补助费（元）"),
    "internal_retirement_cost": N_("内部退养费用（元）"),
}


def sections(
    content: dict[str, Any], register: dict[str, bool] | None = None
) -> list[tuple[str, str, list[tuple[Field, Any]], dict[str, Any]]]:
    """Each section in the notice's order: key, label, its known fields with their values, and what
    else it holds (shown as given, so nothing stored is hidden). The profile's register flags are the
    enterprise register's (`register`: services.plans.register_flags), never a copy in the content."""
    shown = []
    for key, label in SECTIONS.items():
        if key == "roster":
            continue
        data = as_dict(content.get(key))
        if key == "profile":
            data = with_register_flags(data, register or {})
        fields = FIELDS.get(key, [])
        known = {f.key for f in fields} | ({"required", "sources"} if key == "funding" else set())
        shown.append((key, label, [(f, data.get(f.key, f.default)) for f in fields],
                      {k: v for k, v in data.items() if k not in known}))  # fmt: skip
    return shown


_PART = re.compile(r"^(?P<key>[^\[]+)(?:\[(?P<index>\d+)\])?$")


def path_label(path: str) -> str:
    """The Chinese (or English) reading of a changed field's path, e.g. funding.sources[2].amount."""
    parts = path.split(".")
    if parts[0] == "title":
        return _("方案名称")
    section = parts[0]
    words = [_(SECTIONS[section]) if section in SECTIONS else section]
    fields = {f.key: f.label for f in FIELDS.get(section, [])}
    previous = section
    for part in parts[1:]:
        match = _PART.match(part)
        key, index = (match["key"], match["index"]) if match else (part, None)
        if section == "funding":
            label = (FUNDING_ITEMS.get(key) if previous == "required" else None) or FUNDING_FIELDS.get(key)
        else:
            label = fields.get(key)
        word = _(label) if label else key
        words.append(_("%(what)s第%(n)s项", what=word, n=index) if index else word)
        previous = key
    return " › ".join(words)


def path_kind(path: str) -> str:
    """The kind of the field a changed path points at (how its values are shown)."""
    parts = [part.split("[", 1)[0] for part in path.split(".")]
    if parts[0] == "funding":
        return AMOUNT if parts[-1] == "amount" or (len(parts) == 3 and parts[1] == "required") else TEXT
    kinds = {f.key: f.kind for f in FIELDS.get(parts[0], [])}
    return kinds.get(parts[1], TEXT) if len(parts) == 2 else TEXT


def roster_field_label(key: str) -> str:
    if key in ROSTER_FIELDS:
        return _(ROSTER_FIELDS[key])
    column = BY_KEY.get(key)
    return column.header if column else key


def roster_value(key: str, value: Any) -> Any:
    """A roster value as the template shows it: drop-down values by their label."""
    if key == "channel" and value in CHANNELS:
        return _(CHANNELS[value])
    column = BY_KEY.get(key)
    if value is not None and (
        key in ("severance", "medical_subsidy", "internal_retirement_cost") or (column and column.kind == AMOUNT_COLUMN)
    ):
        return amount(value)
    label = column.label_of(value) if column is not None and value is not None else None
    return label if label is not None else value
