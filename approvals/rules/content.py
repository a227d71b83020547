"""The plan document: its sections, their Chinese names, and its content hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from approvals.i18n import N_

SECTIONS = {
    "profile": N_("企业基本情况"),
    "decapacity": N_("化解过剩产能任务"),
    "workforce": N_("职工基本情况"),
    "channels": N_("安置渠道"),
    "labour_relations": N_("劳动关系处理"),
    "severance": N_("经济补偿"),
    "arrears": N_("拖欠工资和社会保险费"),
    "social_insurance": N_("社会保险关系转移接续"),
    "internal_retirement": N_("内部退养"),
    "funding": N_("资金保障"),
    "reemployment": N_("再就业帮扶"),
    "protected_groups": N_("特殊群体照顾"),
    "risk_assessment": N_("风险评估与应急处置预案"),
    "timetable": N_("实施步骤与时间安排"),
    "opinions": N_("听取职工意见情况"),
    "roster": N_("职工实名制台账"),  # imported as a file (PUT …/roster), never edited as a section
}

CHANNELS = {
    "internal_retirement": N_("企业内部退养"),
    "transfer_training": N_("转岗培训"),
    "transformation": N_("企业转型安置"),
    "self_employment": N_("自主创业"),
    "public_welfare": N_("公益性岗位兜底"),
    "termination": N_("依法解除劳动合同"),
}

FUNDING_ITEMS = {
    "severance": N_("经济补偿金"),
    "internal_retirement": N_("内部退养生活费及社会保险费"),
    "arrears": N_("拖欠工资及社会保险费"),
    "social_insurance": N_("内部安置职工社会保险费"),
    "training": N_("转岗培训费"),
    "other": N_("其他"),
}
# Computed per worker from the roster (severance, internal-retirement costs): shown read-only, never typed.
COMPUTED_FUNDING_ITEMS = ("severance", "internal_retirement")

FUNDING_SOURCES = {
    "enterprise_own": N_("企业自有资金"),
    "special_award": N_("专项奖补资金"),
    "unemployment_insurance": N_("失业保险稳岗补贴"),
    "capacity_swap": N_("产能置换指标交易收入"),
    "group_company": N_("集团公司"),
    "local_finance": N_("地方财政"),
    "other": N_("其他"),
}


# The timetable's rows (实施进度安排): one step, when it is due and who carries it out.
TIMETABLE_COLUMNS = {
    "step": N_("事项"),
    "due": N_("完成时限"),
    "owner": N_("责任部门"),
}


def table_rows(value: Any, columns: dict[str, str]) -> list[dict[str, str]]:
    """A list section item (rows of objects) as text: one dict per row with every column (blank where
    not given); rows that are not objects or state nothing are left out."""
    rows = (as_dict(row) for row in as_list(value))
    cells = ({key: "" if row.get(key) is None else str(row.get(key)).strip() for key in columns} for row in rows)
    return [row for row in cells if any(row.values())]


def timetable_items(content: dict[str, Any]) -> list[dict[str, str]]:
    """The timetable's rows (实施进度安排) as text, in the plan's order."""
    return table_rows(as_dict(content.get("timetable")).get("items"), TIMETABLE_COLUMNS)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(title: str, content: dict[str, Any], roster_digest: str = "") -> str:
    """SHA-256 of the plan's title, content and roster in canonical JSON: what a vote is bound to."""
    body = {"title": title, "content": content, "roster": roster_digest}
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def as_dict(value: Any) -> dict[str, Any]:
    """The value if it is an object, else empty: malformed sections read as missing."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
