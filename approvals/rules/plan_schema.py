"""The plan document described once: each section's fields with their label, the shorter word the published
text and the public notice use, their kind and unit, whether the plan must state them, whether the published
text leaves them out when blank and whether the public notice shows them.

Read by the plan page and the revision diff (app/web/plan_content.py), the completeness rules
(rules/completeness.py: the items each text section must state), the text limits (rules/text_limits.py), the
published text (app/documents/plan_text.py) and the public notice (services/public_notice.py). Adding a field
is one entry here, plus its rule where it has one.

The funding section (its items, sources and evidence), the channels (one count per channel) and the roster have
tables of their own; the profile's registry data is the enterprise register's (rules/register.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from approvals.i18n import N_
from approvals.models.reference import INDUSTRIES
from approvals.rules.content import CHANNELS, TIMETABLE_COLUMNS
from approvals.rules.severance import DEFAULT_GROUND, DEFAULT_METHOD, PRE2008_METHODS, TERMINATION_GROUNDS

TEXT, COUNT, AMOUNT, NUMBER, DATE, FLAG, CHOICE, TABLE = (
    "text", "count", "amount", "number", "date", "flag", "choice", "table")  # fmt: skip


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # as the form and the plan page name it
    kind: str = TEXT
    choices: dict[str, str] | None = None  # stored value -> label, for CHOICE
    default: Any = None  # what the plan follows when the field is not stated
    columns: dict[str, str] | None = None  # key -> label of each column, for TABLE (a list of rows)
    short: str | None = None  # the published text's and the public notice's word, where shorter than `label`
    unit: str | None = None  # after the value in the published text and the notice: 人, 元, 元/月, 件
    required: bool = False  # an item the plan must state in its own words (rules/completeness.py)
    optional: bool = False  # the published text leaves it out when blank
    public: bool = True  # on the public notice (services/public_notice.py)

    @property
    def title(self) -> str:
        """The word of the published text and the notice."""
        return self.short or self.label


FIELDS: dict[str, list[Field]] = {
    "profile": [
        Field("name", N_("企业名称")),
        Field("uscc", N_("统一社会信用代码")),
        Field("ownership", N_("所有制性质"), public=False),
        Field("industry", N_("所属行业"), CHOICE, INDUSTRIES),
        Field("region_code", N_("所在地区")),
        Field("parent_group", N_("上级集团公司"), optional=True),
        Field("zombie", N_("拟出清的僵尸企业"), FLAG),
    ],
    "decapacity": [
        Field("capacity_withdrawn", N_("退出产能"), NUMBER),  # its unit is the next field's value
        Field("unit", N_("产能单位")),
        Field("year", N_("任务年度")),
    ],
    "workforce": [
        Field("on_roll", N_("在册职工数"), COUNT, short=N_("在册职工"), unit=N_("人")),
        Field("in_scope", N_("需安置职工数"), COUNT, short=N_("需安置职工"), unit=N_("人")),
        Field("excluded", N_("不纳入安置范围人数"), COUNT, short=N_("不纳入安置范围"), unit=N_("人")),
        Field("exclusion_reasons", N_("不纳入安置范围的原因"), optional=True),
    ],
    "channels": [Field(key, label, COUNT, unit=N_("人")) for key, label in CHANNELS.items()],
    "labour_relations": [
        Field("handling", N_("各安置渠道劳动合同的变更、解除、终止办法及法律依据"), short=N_("处理办法"), required=True),
    ],
    "severance": [
        Field("reference_date", N_("经济补偿计算基准日"), DATE, short=N_("计算基准日")),
        Field("termination_ground", N_("解除或终止劳动合同的依据（名单未逐人填写时）"), CHOICE,
              {key: ground.label for key, ground in TERMINATION_GROUNDS.items()}, DEFAULT_GROUND,
              short=N_("解除或终止劳动合同的依据"), public=False),
        Field("pre2008_method", N_("2008年前工作年限计算办法"), CHOICE, PRE2008_METHODS, DEFAULT_METHOD, public=False),
        Field("enterprise_average_wage", N_("企业月平均工资（元）"), AMOUNT, short=N_("企业月平均工资"), unit=N_("元"),
              optional=True, public=False),
        Field("standard", N_("经济补偿标准和计算办法"), short=N_("补偿标准和计算办法"), required=True),
    ],
    "arrears": [
        Field("wages", N_("拖欠职工工资（元）"), AMOUNT, short=N_("拖欠职工工资"), unit=N_("元")),
        Field("social_insurance", N_("欠缴社会保险费（元）"), AMOUNT, short=N_("欠缴社会保险费"), unit=N_("元")),
        Field("settlement", N_("清偿办法"), required=True),
    ],
    "social_insurance": [
        Field("arrangement", N_("社会保险关系转移接续办法"), short=N_("转移接续办法"), required=True),
    ],
    "internal_retirement": [
        Field("living_allowance", N_("内退生活费标准（元/月）"), AMOUNT, short=N_("内退生活费标准"), unit=N_("元/月")),
        Field("terms", N_("内部退养办法")),
    ],
    "funding": [],  # its own tables: required items, sources, evidence and gap
    "reemployment": [
        Field("measures", N_("再就业帮扶措施（职业指导、职业介绍、技能培训等）"), short=N_("帮扶措施"), required=True),
    ],
    "protected_groups": [
        Field("handling", N_("劳动模范、高技能人才、烈军属、残疾人、双职工夫妻等特殊群体的照顾措施"),
              short=N_("照顾措施"), required=True),
    ],
    "risk_assessment": [  # the bureau's and the group's reading; not on the public notice
        Field("open_disputes", N_("未结信访及集体劳动争议件数"), COUNT, short=N_("未结信访及集体劳动争议"),
              unit=N_("件"), public=False),
        Field("assessment", N_("社会稳定风险评估结论"), public=False),
        Field("emergency_plan", N_("应急处置预案"), public=False),
    ],
    "timetable": [
        Field("steps", N_("实施步骤"), required=True),
        Field("union_explanation_date", N_("向工会或全体职工说明情况的日期"), DATE,
              short=N_("向工会或全体职工说明情况日期"), optional=True),
        Field("termination_date", N_("解除劳动合同的日期"), DATE, short=N_("解除劳动合同日期"), optional=True),
        Field("items", N_("实施进度安排"), TABLE, columns=TIMETABLE_COLUMNS),
    ],
    "opinions": [
        Field("solicited_on", N_("听取意见的日期"), DATE, short=N_("听取意见日期")),
        Field("method", N_("听取意见的方式"), required=True),
        Field("summary", N_("职工意见及采纳情况"), required=True),
    ],
}  # fmt: skip

# The items each text section must state in the plan's own words (rules/completeness.py).
TEXT_SECTIONS: dict[str, dict[str, str]] = {
    section: {f.key: f.label for f in fields if f.required}
    for section, fields in FIELDS.items()
    if any(f.required for f in fields)
}


def field_of(section: str, key: str) -> Field | None:
    """The field `key` of `section`; None for a key the plan does not define (one sent through the API)."""
    return next((f for f in FIELDS.get(section, []) if f.key == key), None)


def field(section: str, key: str) -> Field:
    """A field the code names: a KeyError if the description lacks it."""
    found = field_of(section, key)
    if found is None:
        raise KeyError(f"{section}.{key}")
    return found
