"""The plan document: its sections, their Chinese names, and its content hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

SECTIONS = {
    "profile": "企业基本情况",
    "decapacity": "化解过剩产能任务",
    "workforce": "职工基本情况",
    "channels": "安置渠道",
    "funding": "资金保障",
    "risk_assessment": "风险评估与应急处置预案",
    "roster": "职工实名制台账",
}

CHANNELS = {
    "internal_retirement": "企业内部退养",
    "transfer_training": "转岗培训",
    "transformation": "企业转型安置",
    "self_employment": "自主创业",
    "public_welfare": "公益性岗位兜底",
    "termination": "依法解除劳动合同",
}

FUNDING_ITEMS = {
    "severance": "经济补偿金",
    "internal_retirement": "内部退养生活费及社会保险费",
    "arrears": "拖欠工资及社会保险费",
    "social_insurance": "内部安置职工社会保险费",
    "training": "转岗培训费",
    "other": "其他",
}

FUNDING_SOURCES = {
    "enterprise_own": "企业自有资金",
    "special_award": "专项奖补资金",
    "unemployment_insurance": "失业保险稳岗补贴",
    "capacity_swap": "产能置换指标交易收入",
    "group_company": "集团公司",
    "local_finance": "地方财政",
    "other": "其他",
}


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(title: str, content: dict[str, Any]) -> str:
    """SHA-256 of the plan's title and content in canonical JSON: what a vote is bound to."""
    return hashlib.sha256(canonical_json({"title": title, "content": content}).encode()).hexdigest()


def as_dict(value: Any) -> dict[str, Any]:
    """The value if it is an object, else empty: malformed sections read as missing."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
