"""Evidence files of a plan's funding sources (资金来源证明材料): upload, list, download, remove.

A source counts as evidenced only with at least one file (approvals/rules/funding.py). Files are
bound to a source by its number (1-based position in ``content.funding.sources``; a form that knows
which stored source each of its rows was hands ``origins`` to ``with_attachments``, and the files move
with their source when one before it is removed), and each
source of the plan's content carries the list of its files (id, name, kind, size, SHA-256) under
``attachments``: the files are part of the content hash, so adding or removing one voids an
earlier vote like any other change. That list is the server's: whatever a client sends under
``attachments`` is replaced from this table.

The bytes are stored in the database (FundingEvidence) so that a file, its audit event and the
plan's new hash are written in one transaction.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.archives import ArchiveRefused, BoundedArchive
from approvals.errors import Conflict, Invalid, NotFound
from approvals.filetypes import ZIP_SIGNATURES, FileKind, by_signature, zip_kind
from approvals.i18n import N_, Listing, Text
from approvals.models import FundingEvidence, Plan, Role
from approvals.process import Status
from approvals.rules.content import as_dict, as_list, content_hash

MAX_BYTES = 10 * 1024 * 1024
# kind → (MIME type served on download, name in messages)
ACCEPTED = {
    "pdf": ("application/pdf", N_("PDF")),
    "jpeg": ("image/jpeg", N_("JPEG 图片")),
    "png": ("image/png", N_("PNG 图片")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", N_("Excel 工作簿（.xlsx）")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", N_("Word 文档（.docx）")),
}
ACCEPTED_NAMES = N_("PDF、JPEG 或 PNG 图片、Excel 工作簿（.xlsx）、Word 文档（.docx）")


def _refused(rule: str, message: Text) -> Invalid:
    return Invalid(f"evidence_{rule}", message, [{"field": "file", "rule": rule, "message": message}])


def evidence_kind(data: bytes, filename: str) -> str:
    """The file's real kind (from its bytes, whatever its name says), or Invalid saying what it is."""
    if not data:
        raise _refused("empty_file", Text(N_("文件“%(name)s”是空的（0 字节），请检查后重新上传。"), name=filename))
    if len(data) > MAX_BYTES:
        raise _refused("too_large", Text(N_("文件“%(name)s”大小为 %(size)s MB，超过证明材料的上限 %(limit)s MB。"
                                            "请压缩图片或分成几个文件上传。"), name=filename,
                                         size=f"{len(data) / 1024 / 1024:.1f}", limit=MAX_BYTES // 1024 // 1024))  # fmt: skip
    found: FileKind | None
    if data.startswith(ZIP_SIGNATURES):
        found = _office_kind(data, filename)
    else:
        found = by_signature(data)
    if found is None or found.kind not in ACCEPTED:
        what = found.label if found is not None else N_("无法识别的文件（文本或其他格式）")
        raise _refused("file_type", Text(N_("文件“%(name)s”实际上是%(what)s，证明材料只接受%(accepted)s。"
                                            "请另存或扫描为这些格式后重新上传。"), name=filename, what=Text(what),
                                         accepted=Text(ACCEPTED_NAMES)))  # fmt: skip
    return found.kind


def _office_kind(data: bytes, filename: str) -> FileKind:
    """The kind of a ZIP-based file, every member inflated within the archive bounds (a reviewer opens it)."""
    try:
        reader = BoundedArchive(data)
        for member in reader.members:
            for _ in reader.chunks(member):
                pass
        return zip_kind(reader.archive)
    except ArchiveRefused as refused:
        if refused.rule == "zip_bomb":
            raise _refused("zip_bomb", Text(N_("文件“%(name)s”%(reason)s，可能是恶意构造的压缩文件，已拒绝。"
                                               "请重新保存后上传。"), name=filename, reason=refused.reason)) from None  # fmt: skip
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        pass
    raise _refused(
        "corrupt", Text(N_("文件“%(name)s”不完整或已损坏，无法作为 Office 文档打开，请重新保存后上传。"), name=filename)
    )


def _editable(actor: Actor, plan: Plan, action: str) -> None:
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, action)
    if plan.status != Status.DRAFTING:
        raise Conflict("not_drafting", Text(N_("只有起草阶段的方案可以修改资金证明材料。")), {"status": plan.status})


def add_evidence(
    session: Session, *, actor: Actor, plan: Plan, source_number: int, data: bytes, filename: str
) -> FundingEvidence:
    """Attach a file to funding source `source_number` (1-based) of a plan in drafting."""
    _editable(actor, plan, N_("上传资金证明材料"))
    sources = as_list(as_dict(plan.content.get("funding")).get("sources"))
    if not 1 <= source_number <= len(sources):
        message = Text(N_("方案的资金保障中没有第%(n)s项资金来源（现有%(count)s项），请先在资金保障中填写该来源，"
                          "再上传证明材料。"), n=source_number, count=len(sources))  # fmt: skip
        raise Invalid("unknown_funding_source", message,
                      [{"field": f"funding.sources[{source_number}]", "rule": "known_source", "message": message}])  # fmt: skip
    kind = evidence_kind(data, filename)
    name = (filename or "证明材料").replace("\\", "/").rsplit("/", 1)[-1][:255]
    evidence = FundingEvidence(plan_id=plan.id, source_number=source_number, filename=name, kind=kind, size=len(data),
                               sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=actor.person.id)  # fmt: skip
    session.add(evidence)
    session.flush()
    _refresh(session, plan)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="funding.evidence_added", plan=plan,
                 summary={**_described(evidence), "content_hash": plan.content_hash})  # fmt: skip
    return evidence


def remove_evidence(session: Session, *, actor: Actor, plan: Plan, evidence_id: int) -> None:
    """Remove a file from a plan in drafting (the source may then no longer count as evidenced)."""
    _editable(actor, plan, N_("删除资金证明材料"))
    evidence = get_evidence(session, plan, evidence_id)
    described = _described(evidence)
    session.delete(evidence)
    session.flush()
    _refresh(session, plan)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="funding.evidence_removed", plan=plan,
                 summary={**described, "content_hash": plan.content_hash})  # fmt: skip


def evidence_of(session: Session, plan: Plan) -> list[FundingEvidence]:
    """The plan's files, by source then upload (without their bytes)."""
    return list(session.scalars(select(FundingEvidence).where(FundingEvidence.plan_id == plan.id)
                                .order_by(FundingEvidence.source_number, FundingEvidence.id)))  # fmt: skip


def get_evidence(session: Session, plan: Plan, evidence_id: int) -> FundingEvidence:
    evidence = session.get(FundingEvidence, evidence_id)
    if evidence is None or evidence.plan_id != plan.id:
        raise NotFound("evidence_not_found", Text(N_("该方案没有这份证明材料。")))
    return evidence


def with_attachments(
    session: Session, plan: Plan | None, funding: Any, origins: Sequence[int | None] | None = None
) -> Any:
    """The funding section with each source's ``attachments`` taken from the stored files.

    ``origins`` says, for each source of the new section, which stored source it was (its number before
    this change; None for a source added now): the files then follow their source when one before it is
    removed, and get its new number. Without it a source is the one stored at its position.
    Refuses (422) a section that drops a source which has files: they would be left unattached.
    """
    if not isinstance(funding, dict) or not isinstance(funding.get("sources"), list):
        return funding
    files = evidence_of(session, plan) if plan is not None and plan.id is not None else []
    sources = funding["sources"]
    if origins is None:
        origins = range(1, len(sources) + 1)
    if len(origins) != len(sources):
        raise ValueError("one origin per funding source")
    number_of: dict[int, int] = {}  # stored number -> new number; a source claimed twice stays with the first
    for number, origin in enumerate(origins, start=1):
        if origin is not None:
            number_of.setdefault(origin, number)
    orphaned = sorted({f.source_number for f in files if f.source_number not in number_of})
    if orphaned:
        message = Text(N_("第%(numbers)s项资金来源已上传证明材料，不能删除该来源；请先删除其证明材料，"
                          "或保留该来源后修改其内容。"), numbers=Listing(orphaned, separator=N_("、")))  # fmt: skip
        raise Invalid("funding_source_has_evidence", message,
                      [{"field": f"funding.sources[{n}]", "rule": "evidence_attached", "message": message}
                       for n in orphaned])  # fmt: skip
    by_source: dict[int, list[dict[str, Any]]] = {}
    for f in files:
        if f.source_number != number_of[f.source_number]:
            f.source_number = number_of[f.source_number]
        by_source.setdefault(f.source_number, []).append(_attachment(f))
    out = []
    for number, source in enumerate(sources, start=1):
        if isinstance(source, dict):
            source = {k: v for k, v in source.items() if k != "attachments"}
            if number in by_source:
                source["attachments"] = by_source[number]
        out.append(source)
    return {**funding, "sources": out}


def _refresh(session: Session, plan: Plan) -> None:
    content = dict(plan.content)
    content["funding"] = with_attachments(session, plan, as_dict(content.get("funding")))
    plan.content = content
    plan.content_hash = content_hash(plan.title, content, plan.roster_digest)


def _attachment(evidence: FundingEvidence) -> dict[str, Any]:
    """What the plan's content (and so its hash) records of a file."""
    return {"id": evidence.id, "filename": evidence.filename, "kind": evidence.kind, "size": evidence.size,
            "sha256": evidence.sha256}  # fmt: skip


def _described(evidence: FundingEvidence) -> dict[str, Any]:
    return {"source_number": evidence.source_number, **_attachment(evidence)}
