"""The case file (卷宗): the whole record of a plan in one zip, and the check that finds any change."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from app.documents.case_file import MANIFEST, SUMS, verify_case_file
from app.extensions import audit_key, db, get_engine
from approvals import audit
from approvals.audit import body_hash
from approvals.demo import sample_roster
from approvals.execution.records import record_part
from approvals.models import FundingEvidence, RosterWorker
from tests import flow, pdf, stages
from tests.conftest import reload
from tests.web.test_permissions import plan_at


def download(api, world) -> tuple[int, bytes]:
    plan = plan_at(api, world, "zombie", "published")
    response = api("province").get(f"/plans/{plan['id']}/case-file.zip")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith(f"attachment; filename=plan-{plan['id']}-case-file.zip;")
    return plan["id"], response.data


def unpack(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pack(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_the_case_file_holds_every_revision_document_vote_opinion_and_the_audit_chain(api, world, app, tmp_path):
    plan_id, data = download(api, world)
    files = unpack(data)
    documents = sorted(name for name in files if name.startswith("documents/"))
    assert documents == [f"documents/plan-{plan_id}-{kind}.pdf" for kind in
                         ("congress-vote-1", "published-plan", "review-opinion-1", "working-group-1")]  # fmt: skip
    assert "表决结果记录" in pdf.flat(files[f"documents/plan-{plan_id}-congress-vote-1.pdf"])
    revision = json.loads(files["revisions/revision-1.json"])
    assert revision["number"] == 1
    assert revision["content_hash"] == reload(plan_id).published_hash
    assert set(revision["roster"]) == {row[0] for row in sample_roster(world.zombie)}  # the full record, unmasked
    assert [v["passed"] for v in json.loads(files["records/congress-votes.json"])] == [True]
    assert [r["decision"] for r in json.loads(files["records/reviews.json"])] == ["approve"]
    assert [w["decision"] for w in json.loads(files["records/working-group.json"])] == ["cleared"]
    chain = json.loads(files["audit/plan-chain.json"])
    head_seq, head_hash = audit.head_of(db.session, audit.plan_chain(plan_id))
    assert [e["body"]["seq"] for e in chain] == list(range(1, head_seq + 1))
    assert chain[-1]["body"]["action"] == "plan.published"
    manifest = json.loads(files[MANIFEST])
    assert manifest["audit_head"] == {"seq": head_seq, "hash": head_hash}
    assert {f["path"] for f in manifest["files"]} == set(files) - {MANIFEST, SUMS}
    report = verify_case_file(data, audit_key())
    assert (report.ok, report.signature, report.problems, report.files) == (True, "valid", [], len(files))
    # An auditor without the system: sha256sum over the unpacked files.
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(body)
    checked = subprocess.run(["sha256sum", "--strict", "-c", SUMS], cwd=tmp_path, capture_output=True, text=True)  # noqa: S607
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(files) - 1


def _resum(files: dict[str, bytes]) -> None:
    """Rewrite the manifest's and SHA256SUMS's hashes to match the files (a careful forger)."""
    manifest = json.loads(files[MANIFEST])
    for entry in manifest["files"]:
        body = files[entry["path"]]
        entry["sha256"], entry["bytes"] = hashlib.sha256(body).hexdigest(), len(body)
    files[MANIFEST] = json.dumps(manifest).encode()
    files[SUMS] = "".join(
        f"{hashlib.sha256(b).hexdigest()}  {n}\n" for n, b in sorted(files.items()) if n != SUMS
    ).encode()


def _edit_pdf(files: dict[str, bytes]) -> None:
    name = next(n for n in files if n.endswith("published-plan.pdf"))
    body = bytearray(files[name])
    body[len(body) // 2] ^= 0x01  # one bit
    files[name] = bytes(body)


def _edit_vote_and_resum(files: dict[str, bytes]) -> None:
    files["records/congress-votes.json"] = files["records/congress-votes.json"].replace(b'"yes": 80', b'"yes": 90')
    _resum(files)


def _edit_audit_and_resum(files: dict[str, bytes]) -> None:
    chain = json.loads(files["audit/plan-chain.json"])
    chain[2]["body"]["actor"] = "someone_else"
    files["audit/plan-chain.json"] = json.dumps(chain, ensure_ascii=False).encode()
    _resum(files)


TAMPERING: dict[str, tuple[Callable[[dict[str, bytes]], None], list[str]]] = {
    "pdf_changed": (_edit_pdf, ["published-plan.pdf：SHA-256与清单不符（文件已被修改）。", "SHA256SUMS："]),
    "file_removed": (lambda f: f.pop("records/reviews.json"), ["records/reviews.json：清单中有此文件，卷宗中缺失。"]),
    "file_added": (lambda f: f.update({"documents/extra.pdf": b"%PDF"}), ["documents/extra.pdf：清单中没有此文件"]),
    "sums_rewritten": (lambda f: f.update({SUMS: b""}), ["SHA256SUMS："]),
    "record_changed_hashes_rewritten": (_edit_vote_and_resum, ["manifest.json：系统签名无效"]),
    "audit_changed_hashes_rewritten": (_edit_audit_and_resum, ["audit/plan-chain.json：第3条记录的内容与其哈希不符（已被修改）。",
                                                                "manifest.json：系统签名无效"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(TAMPERING))
def test_verification_names_every_change(api, world, case):
    _, data = download(api, world)
    files = unpack(data)
    tamper, expected = TAMPERING[case]
    tamper(files)
    report = verify_case_file(pack(files), audit_key())
    assert not report.ok
    for problem in expected:
        assert any(problem in p for p in report.problems), (problem, report.problems)
    assert verify_case_file(data, audit_key()).ok  # the original still verifies


def test_without_the_key_a_consistent_forgery_of_the_records_passes_the_hashes_but_not_the_chain(api, world):
    """What an outside auditor can and cannot see (docs): hashes and the chain, not the signature."""
    _, data = download(api, world)
    files = unpack(data)
    _edit_vote_and_resum(files)
    report = verify_case_file(pack(files))
    assert (report.ok, report.signature) == (True, "unchecked")
    files = unpack(data)
    _edit_audit_and_resum(files)
    assert not verify_case_file(pack(files)).ok


def test_documents_and_case_files_on_the_command_line(app, api, world, tmp_path):
    plan = plan_at(api, world, "steel", "published")
    runner = app.test_cli_runner()
    written = runner.invoke(args=["documents", "write", str(plan["id"]), "--as", "union", "--dir", str(tmp_path)])
    assert written.exit_code == 0, written.output
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert names == [f"plan-{plan['id']}-{k}.pdf" for k in ("congress-vote-1", "published-plan", "review-opinion-1")]
    assert "需安置职工名单" in pdf.flat((tmp_path / f"plan-{plan['id']}-published-plan.pdf").read_bytes())
    one = runner.invoke(args=["documents", "write", str(plan["id"]), "--as", "union", "--kind", "working-group"])
    assert one.exit_code == 1
    assert "没有联合工作组工作记录" in one.output
    hidden = runner.invoke(args=["documents", "write", str(plan["id"]), "--as", "clerk_small"])
    assert hidden.exit_code == 1
    assert "方案不存在或无权查看" in hidden.output
    case = tmp_path / "卷宗.zip"
    refused = runner.invoke(args=["documents", "case-file", str(plan["id"]), "--as", "supervisor", "--out", str(case)])
    assert refused.exit_code == 1
    assert "导出卷宗：职工个人信息仅向本企业、工会和人社部门提供。" in refused.output
    assert not case.exists()
    made = runner.invoke(args=["documents", "case-file", str(plan["id"]), "--as", "reviewer", "--out", str(case)])
    assert made.exit_code == 0, made.output
    good = runner.invoke(args=["documents", "verify-case", str(case)])
    assert good.exit_code == 0, good.output
    assert "OK：卷宗完整" in good.output
    files = unpack(case.read_bytes())
    _edit_pdf(files)
    case.write_bytes(pack(files))
    bad = runner.invoke(args=["documents", "verify-case", str(case)])
    assert bad.exit_code == 1
    assert f"documents/plan-{plan['id']}-published-plan.pdf：SHA-256与清单不符" in bad.output


def test_the_case_file_of_a_plan_in_drafting_holds_its_trail_and_no_documents(api, world):
    plan = plan_at(api, world, "steel", "drafting")
    data = api("clerk").get(f"/plans/{plan['id']}/case-file.zip").data
    files = unpack(data)
    assert not any(name.startswith(("documents/", "revisions/")) for name in files)
    assert [e["body"]["action"] for e in json.loads(files["audit/plan-chain.json"])][0] == "plan.created"
    assert verify_case_file(data, audit_key()).ok


def test_a_recomputed_chain_passes_offline_but_not_the_signature_nor_the_systems_trail(api, world):
    _, data = download(api, world)
    files = unpack(data)
    chain = json.loads(files["audit/plan-chain.json"])
    chain[1]["body"]["actor"] = "someone_else"
    prev = chain[0]["hash"]
    for event in chain[1:]:  # a forger who recomputes every hash after the edited event
        event["body"]["prev"] = prev
        event["hash"] = prev = body_hash(event["body"])
    files["audit/plan-chain.json"] = json.dumps(chain, ensure_ascii=False).encode()
    manifest = json.loads(files[MANIFEST])
    manifest["audit_head"]["hash"] = prev
    files[MANIFEST] = json.dumps(manifest).encode()
    _resum(files)
    forged = pack(files)
    assert verify_case_file(forged).ok  # hashes and chain agree with each other: the limit of an offline check
    against_trail = verify_case_file(forged, session=db.session)
    assert against_trail.problems == [
        f"manifest.json：审计链链尾（第{len(chain)}条）与本系统中方案{manifest['plan']['id']}的审计记录不符。"
    ]
    assert verify_case_file(forged, audit_key()).signature == "invalid"
    assert verify_case_file(data, audit_key(), db.session).ok


def test_the_case_file_holds_each_funding_evidence_file_as_uploaded_named_in_its_index(api, world):
    """The evidence of each funding source (domain.md §3.1: funds are secured only when every source is
    evidenced) is part of the record the case file keeps: each file as uploaded, in the manifest and
    SHA256SUMS, and named (source, original file name) in records/funding-evidence.json and the manifest."""
    plan_id, data = download(api, world)
    files = unpack(data)
    stored = db.session.scalars(
        select(FundingEvidence).where(FundingEvidence.plan_id == plan_id).order_by(FundingEvidence.id)
    ).all()
    assert len(stored) == 2  # one PDF for each of the plan's two sources (tests/flow.create)
    index = json.loads(files["records/funding-evidence.json"])
    manifest = json.loads(files[MANIFEST])
    for evidence, entry in zip(stored, index, strict=True):
        path = f"evidence/source-{evidence.source_number}-{evidence.id}.pdf"
        assert files[path] == evidence.data
        assert hashlib.sha256(files[path]).hexdigest() == entry["sha256"] == evidence.sha256
        assert entry["path"] == path
        assert entry["filename"] == evidence.filename
        assert entry["source_number"] == evidence.source_number
        assert f"{evidence.sha256}  {path}" in files[SUMS].decode()
        assert manifest["evidence"][path].endswith(f"证明材料：{evidence.filename}")
    assert [e["source"] for e in index] == ["企业自有资金", "专项奖补资金"]
    assert manifest["evidence"][index[0]["path"]] == f"第1项资金来源（企业自有资金）证明材料：{stored[0].filename}"
    assert "evidence/" in files["README.txt"].decode()
    assert verify_case_file(data, audit_key()).ok


def test_the_case_file_holds_each_return_reason_with_its_answer_and_the_opinions_list_them(api, world):
    """The reasons of a return and the clerk's answer to each (return_reason) are part of the record: in
    records/return-reasons.json (named in README.txt) with the return they came with and the revision that
    answered them; the returning review opinion lists them numbered, the next one lists them with the answers."""
    plan = plan_at(api, world, "steel", "review")
    reviewer, clerk = api("reviewer"), api("clerk")
    flow.review(reviewer, plan["id"], "return", reasons=["名单缺少内部退养协议。", "资金批复不清晰。"])
    answers = {r["id"]: f"已改正第{r['number']}条。" for r in flow.plan(clerk, plan["id"])["open_reasons"]}
    assert flow.submit(clerk, plan["id"], answers=answers)["plan"]["status"] == "review"  # unchanged: voted already
    flow.review(reviewer, plan["id"], "return", reasons="第三次补正：请补充公示材料。")
    data = api("province").get(f"/plans/{plan['id']}/case-file.zip").data
    files = unpack(data)
    reasons = json.loads(files["records/return-reasons.json"])
    assert [(r["record_number"], r["number"], r["reason"], r["answer"], r["answered_with_revision"])
            for r in reasons] == [
        (1, 1, "名单缺少内部退养协议。", "已改正第1条。", 2),
        (1, 2, "资金批复不清晰。", "已改正第2条。", 2),
        (2, 1, "第三次补正：请补充公示材料。", None, None),
    ]  # fmt: skip
    assert {r["source_label"] for r in reasons} == {"人社部门退回"}
    assert "records/return-reasons.json" in files["README.txt"].decode()
    opinions = sorted(p for p in files if p.startswith("documents/") and "review" in p)
    first, second = (pdf.flat(files[p]) for p in opinions)
    assert "退回理由：请逐条修改，并在重新报送时逐条答复。1.名单缺少内部退养协议。2.资金批复不清晰。" in first
    assert "1.名单缺少内部退养协议。（人社部门退回）企业答复：已改正第1条。" in second
    assert "2.资金批复不清晰。（人社部门退回）企业答复：已改正第2条。" in second
    assert "1.第三次补正：请补充公示材料。" in second
    assert verify_case_file(data, audit_key()).ok


def test_the_case_file_holds_the_execution_ledger_with_who_entered_each_part(api, world):
    """Once execution started, records/execution-ledger.json holds each worker in scope: the record as entered,
    who entered each part and when, what was still open and overdue at export (domain.md §6, §8)."""
    plan = stages.plan_at(db.session, get_engine(), world, "executing", firm="steel")
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                           RosterWorker.channel == "termination")).first()  # fmt: skip
    record_part(db.session, actor=world.actor("clerk"), plan=plan, worker_id=worker.id, part="termination",
                values={"terminated_on": "2026-11-02"}, today=date(2026, 12, 7))  # fmt: skip
    db.session.commit()
    response = api("reviewer").get(f"/plans/{plan.id}/case-file.zip")
    assert response.status_code == 200, response.json
    files = unpack(response.data)
    ledger = json.loads(files["records/execution-ledger.json"])
    assert len(ledger) == 20
    (entry,) = [e for e in ledger if e["id_number"] == worker.id_number]
    assert entry["record"]["terminated_on"] == "2026-11-02"
    assert entry["entered"]["termination"]["name"] == "clerk"
    overdue = {o["item"]: o["overdue_days"] for o in entry["open"]}
    assert overdue["file_transferred_on"] > 0  # 劳动合同法 Art 50: 15 days from 2026-11-02
    assert any(f["path"] == "records/execution-ledger.json" for f in json.loads(files[MANIFEST])["files"])
    assert json.loads(files["plan.json"])["status"] == "executing"
    assert verify_case_file(response.data, audit_key()).ok


def test_before_execution_the_ledger_in_the_case_file_is_empty(api, world):
    _plan_id, data = download(api, world)
    assert json.loads(unpack(data)["records/execution-ledger.json"]) == []
