"""The case file (卷宗): one zip per plan holding its whole record, and the check that nothing in it changed.

Contents (ASCII paths; titles in Chinese inside):

    README.txt                    what is in it and how to check it (Chinese)
    plan.json                     the plan as it stands: stage, hashes, decisions in force
    revisions/revision-N.json     every submitted revision: title, content, hash, roster (full)
    records/congress-votes.json   every vote, review, working-group record and roster verification
    records/reviews.json
    records/working-group.json
    records/verifications.json
    records/return-reasons.json   every reason a plan was returned for, numbered within its return (the review
                                  or working-group record it came with), and the clerk's answer with the revision
    congress/vote-N-KIND.pdf      the minutes, resolution and signed attendance sheet of vote N, as uploaded
    evidence/source-N-ID.EXT      each funding source's evidence files as uploaded (N the source, ID the file)
    records/funding-evidence.json their index: source, file name, type, size, SHA-256, uploader, time, path
    records/amendments.json       every amendment of the published plan (方案变更): its reason, the published revision
                                  and hash it started from, who started it and when, when the amended plan was
                                  published and execution resumed
    records/execution-ledger.json the execution ledger: each worker's record, who entered each part and when and
                                  under which published revision, what was open at export and what was done late
                                  (after execution started; kept while an amendment is under way)
    audit/plan-chain.json         the plan's audit chain: each event with the body its hash covers
    documents/*.pdf               every document (each vote record, review opinion, group record,
                                  and the published plan)
    manifest.json                 every file above with its SHA-256 and size, the audit head at
                                  export, and an HMAC-SHA256 signature by the system
    SHA256SUMS                    the same hashes (manifest.json included) for `sha256sum -c`

An auditor without the system runs `sha256sum -c SHA256SUMS` and recomputes the audit chain from
plan-chain.json (each hash is the SHA-256 of the canonical JSON of its "body"); with the system,
`flask documents verify-case FILE` does both and checks the signature too.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents import store
from app.documents.context import documents_of
from app.documents.execution_ledger import ledger_records
from app.documents.facts import local
from app.documents.render import Renderer, check_html_size
from approvals.audit import body_hash, event_body, head_of, plan_chain
from approvals.db import utcnow
from approvals.i18n import N_
from approvals.models import (
    AuditEvent,
    BureauReview,
    CongressDocument,
    CongressVote,
    FundingEvidence,
    Plan,
    PlanAmendment,
    RosterVerification,
    User,
    WorkingGroupRecord,
)
from approvals.rules.content import FUNDING_SOURCES, as_dict, as_list, canonical_json
from approvals.services.congress_documents import described, documents_of_vote
from approvals.services.evidence import evidence_of
from approvals.services.return_reasons import SOURCE_LABELS, reasons_of_returns, revision_numbers
from approvals.services.revisions import revisions_of
from approvals.services.roster import snapshot_rows

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FORMAT = "placement-plan-case-file/1"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n").encode()


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _signing_key(key: bytes) -> bytes:
    """A key of its own for case files, derived from the audit key."""
    return hmac.new(key, b"case-file", hashlib.sha256).digest()


def sign(manifest: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return hmac.new(_signing_key(key), canonical_json(body).encode(), hashlib.sha256).hexdigest()


# -- what goes in ----------------------------------------------------------------------------------


def _names(session: Session) -> Callable[[int | None], str | None]:
    cache: dict[int, str | None] = {}

    def name(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in cache:
            user = session.get(User, user_id)
            cache[user_id] = user.username if user else None
        return cache[user_id]

    return name


def _records(session: Session, plan: Plan) -> dict[str, Any]:
    name = _names(session)

    def rows(model: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.plan_id == plan.id).order_by(model.id)))

    reviews, records = rows(BureauReview), rows(WorkingGroupRecord)
    return {
        "records/congress-votes.json": [
            {"number": n, "body_type": v.body_type, "held_on": v.held_on.isoformat(), "total_members": v.total_members,
             "present": v.present, "yes": v.yes, "no": v.no, "abstain": v.abstain, "quorum_met": v.quorum_met,
             "ballots_issued": v.ballots_issued, "ballots_returned": v.ballots_returned,
             "ballots_valid": v.ballots_valid, "secret_ballot": v.secret_ballot, "chair": v.chair,
             "scrutineers": v.scrutineers, "explanation": v.explanation,
             "documents": [{**described(d), "path": _session_path(n, d)} for d in documents_of_vote(session, v)],
             "passed": v.passed, "content_hash": v.content_hash, "recorded_by": name(v.recorded_by_id),
             "recorded_at": _when(v.recorded_at)} for n, v in enumerate(rows(CongressVote), start=1)],
        "records/reviews.json": [
            {"number": n, "decision": r.decision, "reasons": r.reasons, "content_hash": r.content_hash,
             "reviewer": name(r.reviewer_id), "reviewed_at": _when(r.reviewed_at)}
            for n, r in enumerate(reviews, start=1)],
        "records/working-group.json": [
            {"number": n, "working_group_id": w.working_group_id, "members": w.members, "contact_point": w.contact_point,
             "findings": w.findings, "decision": w.decision, "content_hash": w.content_hash,
             "recorded_by": name(w.recorded_by_id), "recorded_at": _when(w.recorded_at)}
            for n, w in enumerate(records, start=1)],
        "records/verifications.json": [
            {"number": n, "method": v.method, "sample": v.sample, "result": v.result,
             "workers_checked": v.workers_checked, "recorded_by": name(v.recorded_by_id),
             "recorded_at": _when(v.recorded_at)} for n, v in enumerate(rows(RosterVerification), start=1)],
        "records/return-reasons.json": _return_reasons(session, plan, reviews, records),
        "records/amendments.json": [
            {"number": a.number, "reason": a.reason, "from_revision": a.from_revision,
             "published_hash": a.published_hash, "execution_started_at": _when(a.execution_started_at),
             "started_by": name(a.started_by_id), "started_at": _when(a.started_at),
             "published_at": _when(a.published_at), "resumed_at": _when(a.resumed_at)}
            for a in session.scalars(select(PlanAmendment).where(PlanAmendment.plan_id == plan.id)
                                     .order_by(PlanAmendment.number))],
    }  # fmt: skip


def _return_reasons(session: Session, plan: Plan, reviews: list[BureauReview],
                    records: list[WorkingGroupRecord]) -> list[dict[str, Any]]:  # fmt: skip
    """Each return's reasons in order, with the return they came with (its number in reviews.json or
    working-group.json), and the clerk's answer with the revision that carried it (none while open)."""
    numbers = {("bureau", r.id): n for n, r in enumerate(reviews, start=1)}
    numbers |= {("working_group", w.id): n for n, w in enumerate(records, start=1)}
    returns = reasons_of_returns(session, plan)
    revisions = revision_numbers(session, [r for reasons in returns.values() for r in reasons])
    return [
        {"source": source, "source_label": SOURCE_LABELS[source], "record_number": numbers.get((source, key)),
         "number": r.number, "reason": r.text, "returned_at": _when(r.returned_at), "answer": r.answer,
         "answered_with_revision": revisions.get(r.revision_id) if r.revision_id is not None else None}
        for (source, key), reasons in returns.items() for r in reasons
    ]  # fmt: skip


def _session_path(number: int, document: CongressDocument) -> str:
    return f"congress/vote-{number}-{document.kind}.pdf"


def _session_documents(session: Session, plan: Plan) -> dict[str, bytes]:
    """The PDFs recorded with each vote (minutes, resolution, attendance sheet), as uploaded."""
    votes = session.scalars(select(CongressVote).where(CongressVote.plan_id == plan.id).order_by(CongressVote.id))
    return {
        _session_path(n, d): d.data for n, vote in enumerate(votes, start=1) for d in documents_of_vote(session, vote)
    }


def _evidence_path(evidence: FundingEvidence) -> str:
    return f"evidence/source-{evidence.source_number}-{evidence.id}.{evidence.kind}"


def _evidence(session: Session, plan: Plan) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """The funding sources' evidence files as uploaded, and their index (which source, the name it was
    uploaded under, who uploaded it and when)."""
    name = _names(session)
    sources = [as_dict(s) for s in as_list(as_dict(plan.content.get("funding")).get("sources"))]
    index, files = [], {}
    for evidence in evidence_of(session, plan):
        stored = sources[evidence.source_number - 1] if evidence.source_number <= len(sources) else {}
        kind = str(stored.get("source") or "")
        path = _evidence_path(evidence)
        index.append({"source_number": evidence.source_number, "source": FUNDING_SOURCES.get(kind, kind),
                      "filename": evidence.filename, "kind": evidence.kind, "size": evidence.size,
                      "sha256": evidence.sha256, "uploaded_by": name(evidence.uploaded_by_id),
                      "uploaded_at": _when(evidence.uploaded_at), "path": path})  # fmt: skip
        files[path] = evidence.data
    return index, files


def _audit_excerpt(session: Session, plan: Plan) -> list[dict[str, Any]]:
    events = session.scalars(select(AuditEvent).where(AuditEvent.chain == plan_chain(plan.id)).order_by(AuditEvent.seq))
    return [{"body": event_body(e), "hash": e.hash} for e in events]


def _plan_summary(plan: Plan, head: tuple[int, str]) -> dict[str, Any]:
    e = plan.enterprise
    return {"id": plan.id, "title": plan.title, "status": plan.status, "revision": plan.revision_number,
            "enterprise": {"name": e.name, "uscc": e.uscc, "region_code": e.region_code},
            "content_hash": plan.content_hash, "passed_hash": plan.passed_hash, "approved_hash": plan.approved_hash,
            "cleared_hash": plan.cleared_hash, "published_hash": plan.published_hash,
            "risk_level": plan.risk_level, "published_at": _when(plan.published_at),
            "execution_started_at": _when(plan.execution_started_at), "closed_at": _when(plan.closed_at),
            "audit_head": {"seq": head[0], "hash": head[1]}}  # fmt: skip


README = """职工安置方案卷宗
方案：{title}（编号 {plan_id}）
生成时间：{generated}（北京时间）

内容
  plan.json                    方案现状：所处阶段、各项决定所针对的版本哈希
  revisions/                   每一次提交的方案版本（内容、哈希、职工名单）
  records/                     职工代表大会表决、人社部门审核、联合工作组、名单核查的原始记录，证明材料索引；
                               records/return-reasons.json 为每次退回的理由（逐条编号）及企业随哪一版逐条答复；
                               方案变更（records/amendments.json：变更理由、所依据的已公布版本、发起人和时间）；
                               实施台账（records/execution-ledger.json：逐人实施记录、登记人和时间、登记时所依据的已公布版本、
                               未办结和逾期事项；方案变更期间暂停登记，已登记的记录照常收录）
  congress/                    每次表决随附的会议记录、会议决议和签到表（PDF原件）
  evidence/                    各项资金来源的证明材料（上传原件）；所属来源和原文件名见
                               records/funding-evidence.json 及 manifest.json 中的 evidence
  audit/plan-chain.json        本方案的审计链摘录（每条记录的内容及其哈希）
  documents/                   各项文书（PDF）
  manifest.json                文件清单：每个文件的SHA-256和大小，导出时审计链的链尾，系统签名
  SHA256SUMS                   同上哈希，供 sha256sum 校验

如何核验
  1. 在解压目录运行 sha256sum -c SHA256SUMS，每个文件均应显示“成功/OK”；
  2. audit/plan-chain.json 中每条记录的 hash 应等于其 body 的规范JSON（键排序、无空格、UTF-8）的SHA-256，
     且每条记录的 prev 等于上一条记录的 hash；最后一条的 hash 应等于 manifest.json 中的 audit_head；
  3. 在本系统中运行 flask documents verify-case 卷宗文件.zip，可同时核验系统签名。
"""


def build_case_file(session: Session, plan: Plan, renderer: Renderer, key: bytes) -> bytes:
    """The plan's case file as zip bytes, signed with `key`."""
    generated = utcnow()
    files: dict[str, bytes] = {}
    files["README.txt"] = README.format(title=plan.title, plan_id=plan.id,
                                        generated=f"{local(generated):%Y-%m-%d %H:%M:%S}").encode()  # fmt: skip
    files["plan.json"] = _json(_plan_summary(plan, head_of(session, plan_chain(plan.id))))
    name = _names(session)
    for revision in revisions_of(session, plan):
        files[f"revisions/revision-{revision.number}.json"] = _json({
            "number": revision.number, "title": revision.title, "content_hash": revision.content_hash,
            "submitted_by": name(revision.submitted_by_id), "submitted_at": _when(revision.submitted_at),
            "content": revision.content, "roster": snapshot_rows(revision.roster)})  # fmt: skip
    for path, rows in _records(session, plan).items():
        files[path] = _json(rows)
    files.update(_session_documents(session, plan))
    evidence_index, evidence_files = _evidence(session, plan)
    files["records/funding-evidence.json"] = _json(evidence_index)
    files["records/execution-ledger.json"] = _json(ledger_records(session, plan))
    files.update(evidence_files)
    excerpt = _audit_excerpt(session, plan)
    files["audit/plan-chain.json"] = _json(excerpt)
    documents = documents_of(session, plan)
    kept = {document.filename: store.stored(session, document) for document in documents}
    # The worker renders each document as it comes into being (app/documents/store.py); what it has not
    # yet, this request renders (and keeps), all of it within the one bound.
    pages = [(document, renderer.html(document.kind.template, document.context))
             for document in documents if kept[document.filename] is None]  # fmt: skip
    check_html_size(sum(len(html) for _, html in pages), N_("卷宗中的文书"))
    for document, html in pages:
        started = time.thread_time()
        data = renderer.pdf(html)
        kept[document.filename] = store.keep(session, document, data, time.thread_time() - started)
    for document in documents:
        files[f"documents/{document.filename}"] = kept[document.filename].data  # type: ignore[union-attr]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "plan": {"id": plan.id, "title": plan.title, "content_hash": plan.content_hash},
        "generated_at": _when(generated),
        "audit_head": {"seq": excerpt[-1]["body"]["seq"], "hash": excerpt[-1]["hash"]} if excerpt else None,
        "documents": {f"documents/{d.filename}": d.title for d in documents},
        "evidence": {
            e["path"]: f"第{e['source_number']}项资金来源（{e['source']}）证明材料：{e['filename']}"
            for e in evidence_index
        },
        "files": [{"path": path, "sha256": _sha256(data), "bytes": len(data)} for path, data in sorted(files.items())],
    }
    manifest["signature"] = sign(manifest, key)
    files[MANIFEST] = _json(manifest)
    files[SUMS] = "".join(f"{_sha256(data)}  {path}\n" for path, data in sorted(files.items())).encode()
    buffer = io.BytesIO()
    stamp = local(generated).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- checking it -----------------------------------------------------------------------------------


@dataclass
class CaseReport:
    files: int = 0
    signature: str = "unchecked"  # valid | invalid | unchecked (no key given)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_chain(excerpt: Any, head: Any, report: CaseReport) -> None:
    if not isinstance(excerpt, list):
        report.problems.append("audit/plan-chain.json：格式不正确。")
        return
    prev, expected = "", 1
    for item in excerpt:
        body = item.get("body") if isinstance(item, dict) else None
        if not isinstance(body, dict):
            report.problems.append("audit/plan-chain.json：记录格式不正确。")
            return
        seq = body.get("seq")
        if seq != expected:
            report.problems.append(f"audit/plan-chain.json：缺少第{expected}条记录。")
            return
        if body.get("prev") != prev:
            report.problems.append(f"audit/plan-chain.json：第{seq}条记录与前一条的哈希不连续。")
            return
        if body_hash(body) != item.get("hash"):
            report.problems.append(f"audit/plan-chain.json：第{seq}条记录的内容与其哈希不符（已被修改）。")
            return
        prev, expected = item["hash"], expected + 1
    if head is not None and head != {"seq": expected - 1, "hash": prev}:
        report.problems.append("audit/plan-chain.json：链尾与清单记载的不符。")


def _check_against_trail(session: Session, manifest: dict[str, Any], report: CaseReport) -> None:
    head, plan = manifest.get("audit_head"), manifest.get("plan") or {}
    if not head:
        return
    stored = session.scalar(
        select(AuditEvent.hash).where(AuditEvent.chain == plan_chain(plan.get("id")), AuditEvent.seq == head.get("seq"))
    )
    if stored != head.get("hash"):
        report.problems.append(
            f"manifest.json：审计链链尾（第{head.get('seq')}条）与本系统中方案{plan.get('id')}的审计记录不符。"
        )


def verify_case_file(data: bytes, key: bytes | None = None, session: Session | None = None) -> CaseReport:
    """Check every file against the manifest and SHA256SUMS, the audit excerpt's chain, and (with the
    key) the system's signature; with a session, that the excerpt's head is in the plan's audit chain
    in the database. Problems name the file."""
    report = CaseReport()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.problems.append("文件不是有效的zip卷宗。")
        return report
    with archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    report.files = len(contents)
    try:
        manifest = json.loads(contents[MANIFEST])
        listed = {f["path"]: f for f in manifest["files"]}
    except (KeyError, ValueError, TypeError):
        report.problems.append("缺少清单 manifest.json 或其格式不正确。")
        return report
    for path, entry in sorted(listed.items()):
        if path not in contents:
            report.problems.append(f"{path}：清单中有此文件，卷宗中缺失。")
        elif _sha256(contents[path]) != entry.get("sha256") or len(contents[path]) != entry.get("bytes"):
            report.problems.append(f"{path}：SHA-256与清单不符（文件已被修改）。")
    for path in sorted(set(contents) - set(listed) - {MANIFEST, SUMS}):
        report.problems.append(f"{path}：清单中没有此文件（卷宗中多出的文件）。")
    sums = {}
    for line in contents.get(SUMS, b"").decode(errors="replace").splitlines():
        digest, _, path = line.partition("  ")
        sums[path] = digest
    if SUMS not in contents:
        report.problems.append("缺少 SHA256SUMS。")
    else:
        expected = {path: _sha256(body) for path, body in contents.items() if path != SUMS}
        for path in sorted(set(expected) | set(sums)):
            if sums.get(path) != expected.get(path):
                report.problems.append(f"SHA256SUMS：{path} 的哈希与文件不符。")
    if "audit/plan-chain.json" in contents:
        try:
            _check_chain(json.loads(contents["audit/plan-chain.json"]), manifest.get("audit_head"), report)
        except ValueError:
            report.problems.append("audit/plan-chain.json：不是有效的JSON。")
    if session is not None:
        _check_against_trail(session, manifest, report)
    if key is not None:
        valid = hmac.compare_digest(sign(manifest, key), str(manifest.get("signature", "")))
        report.signature = "valid" if valid else "invalid"
        if not valid:
            report.problems.append("manifest.json：系统签名无效（清单被改动，或卷宗并非本系统生成）。")
    return report
