"""Every funding total a document shows uses the gate's evidence rule (approvals/rules/funding.py, domain.md
§3.1): a source without its evidence file is listed but does not count as secured, so the published plan's
table, the review opinion and the public notice never say "secured" for money whose evidence is missing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.documents.plan_text import _funding_tables
from approvals.services.public_notice import _funding

EVIDENCE = [{"id": 1, "filename": "决议.pdf", "kind": "pdf", "size": 10, "sha256": "0" * 64}]


def content() -> dict[str, Any]:
    return {"funding": {"required": {"severance": "130000"}, "sources": [
        {"source": "enterprise_own", "amount": "30000", "evidence": "董事会决议"},  # no file
        {"source": "special_award", "amount": "100000", "evidence": "冀财资〔2018〕45号", "attachments": EVIDENCE},
    ]}}  # fmt: skip


def test_the_plan_texts_source_table_totals_only_evidenced_sources_and_marks_the_other():
    sources = _funding_tables(content())[1]
    assert sources["total"] == ["已落实合计", "100,000.00", "资金缺口30,000.00元"]
    assert sources["rows"][0][2] == "董事会决议（缺少证明材料，不计入）"
    assert sources["rows"][1][2] == "冀财资〔2018〕45号"


def test_the_public_notice_by_source_adds_up_to_the_secured_total():
    facts = list(_funding(content()).facts)
    at = next(i for i, f in enumerate(facts) if f.label == "已落实资金合计")
    assert facts[at].value == Decimal(100000)
    assert [(f.label, f.value) for f in facts[at + 1 :]] == [("专项奖补资金", Decimal(100000))]
