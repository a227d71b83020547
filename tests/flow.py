"""Steps of the process over the JSON API, for tests that walk paths."""

from __future__ import annotations

import io
from typing import Any

from approvals.db import utcnow
from approvals.demo import WG_MEMBERS, evidence_pdf, fund_fully, roster_csv
from approvals.services.congress_documents import KINDS
from approvals.workdays import local_date


def create(api: Any, content: dict[str, Any], title: str = "迁安钢铁职工安置方案") -> dict[str, Any]:
    """Draft a plan; with a "roster" (rows), import it and fund the plan as a clerk would."""
    content = dict(content)
    rows = content.pop("roster", None)
    response = api.post("/plans", json={"title": title, "content": content})
    assert response.status_code == 201, response.json
    if rows is None:
        return response.json
    plan_id = response.json["id"]
    upload = api.put(f"/plans/{plan_id}/roster", data={"file": (io.BytesIO(roster_csv(rows)), "职工名单.csv")},
                     content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    funding = fund_fully(plan(api, plan_id)["content"]["funding"])
    patched = api.patch(f"/plans/{plan_id}", json={"content": {"funding": funding}})
    assert patched.status_code == 200, patched.json
    for number, source in enumerate(funding["sources"], start=1):
        upload_evidence(api, plan_id, number, evidence_pdf(source["evidence"]), f"{source['evidence']}.pdf")
    return plan(api, plan_id)


def upload_evidence(api: Any, plan_id: int, source_number: int, data: bytes, filename: str, status: int = 201) -> Any:
    response = api.post(f"/plans/{plan_id}/funding/sources/{source_number}/evidence",
                        data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == status, response.json
    return response.json


def plan(api: Any, plan_id: int) -> dict[str, Any]:
    response = api.get(f"/plans/{plan_id}")
    assert response.status_code == 200, response.json
    return response.json


def submit(api: Any, plan_id: int, status: int = 200, answers: dict[int, str] | None = None) -> dict[str, Any]:
    """Submit the plan; after a return, each open reason is answered (`answers` by reason id, else a
    stock answer to each)."""
    if answers is None:
        answers = {r["id"]: "已按该条意见修改。" for r in plan(api, plan_id)["open_reasons"]}
    body = {"answers": [{"reason_id": k, "answer": v} for k, v in answers.items()]} if answers else None
    response = api.post(f"/plans/{plan_id}/submit", json=body) if body else api.post(f"/plans/{plan_id}/submit")
    assert response.status_code == status, response.json
    return response.json


def upload_congress_documents(api: Any, plan_id: int) -> None:
    """The session's minutes, resolution and attendance sheet, uploaded before the vote is recorded."""
    for kind, label in KINDS.items():
        response = api.post(f"/plans/{plan_id}/congress-votes/documents/{kind}",
                            data={"file": (io.BytesIO(evidence_pdf(label)), f"{label}.pdf")},
                            content_type="multipart/form-data")  # fmt: skip
        assert response.status_code == 201, response.json


def vote_body(content_hash: str, *, total: int = 120, present: int = 100, yes: int = 80, no: int = 15,
              abstain: int = 5, body_type: str = "workers_congress", **extra: Any) -> dict[str, Any]:  # fmt: skip
    """A vote as the API takes it, with ballots consistent with the counts (every ballot issued to
    those present, the unmarked ones not returned)."""
    cast = yes + no + abstain
    return {"body_type": body_type, "held_on": local_date(utcnow()).isoformat(), "total_members": total,
            "present": present, "yes": yes, "no": no, "abstain": abstain, "plan_revision_hash": content_hash,
            "ballots_issued": present, "ballots_returned": cast, "ballots_valid": cast, "secret_ballot": True,
            "chair": "王建国", "scrutineers": ["李秀兰", "赵志刚"], **extra}  # fmt: skip


def vote(api: Any, plan_id: int, content_hash: str, *, status: int = 201, documents: bool = True,
         **counts: Any) -> dict[str, Any]:  # fmt: skip
    if documents:
        upload_congress_documents(api, plan_id)
    response = api.post(f"/plans/{plan_id}/congress-votes", json=vote_body(content_hash, **counts))
    assert response.status_code == status, response.json
    return response.json


def verify(api: Any, plan_id: int) -> dict[str, Any]:
    """The bureau's phone check of the first roster worker: approval needs one (domain.md §8)."""
    first = api.get(f"/plans/{plan_id}/roster?per_page=1").json["items"]
    response = api.post(f"/plans/{plan_id}/verifications", json={
        "method": "phone_check", "sample": "电话抽查1人", "result": "属实",
        "workers_checked": [w["id_number"] for w in first]})  # fmt: skip
    assert response.status_code == 201, response.json
    return response.json


def review(api: Any, plan_id: int, decision: str, reasons: str = "", status: int = 201,
           verified: bool = True) -> dict[str, Any]:  # fmt: skip
    """The bureau's decision; an approval expected to pass is preceded by a roster verification unless not `verified`."""
    if decision == "approve" and verified and status == 201:
        verify(api, plan_id)
    response = api.post(f"/plans/{plan_id}/review", json={"decision": decision, "reasons": reasons})
    assert response.status_code == status, response.json
    return response.json


def working_group(api: Any, plan_id: int, decision: str | None = "cleared", status: int = 201,
                  members: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    body: dict[str, Any] = {"members": WG_MEMBERS if members is None else members,
                            "contact_point": "企业人力资源部", **extra}  # fmt: skip
    if decision:
        body |= {"findings": "已核实安置渠道和资金来源。", "decision": decision}
    response = api.post(f"/plans/{plan_id}/working-group", json=body)
    assert response.status_code == status, response.json
    return response.json


def publish(api: Any, plan_id: int, status: int = 200) -> dict[str, Any]:
    response = api.post(f"/plans/{plan_id}/publish")
    assert response.status_code == status, response.json
    return response.json


def open_task_ids(body: dict[str, Any]) -> list[str]:
    return [t["task"] for t in body["open_tasks"]]


def gate(body: dict[str, Any]) -> dict[str, bool]:
    return {c["key"]: c["met"] for c in body["gate"]}
