"""The congress session's documents: minutes (会议记录), resolution (会议决议) and signed attendance sheet
(签到表), each a PDF (domain.md §5 and §8: recorded with the vote).

The union uploads them while the vote waits; each is bound to the revision put to the congress (its
content hash). A new upload of a kind replaces the one waiting. Recording the vote
(services.congress.record_congress_vote) requires one of each and binds them to the vote, after which
they never change. Each upload and replacement is audited in its own transaction, so a form that is
refused for another reason keeps the files already sent.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Invalid, NotFound
from approvals.filetypes import ZIP_SIGNATURES, FileKind, by_signature
from approvals.i18n import N_, Text
from approvals.models import CongressDocument, CongressVote, Plan, Role
from approvals.process import Task
from approvals.services.workflow import take_task

# kind -> its name on pages, documents and messages
KINDS = {"minutes": N_("会议记录"), "resolution": N_("会议决议"), "attendance": N_("签到表（本人签字）")}
# Three files may arrive in one form (config.MAX_CONTENT_LENGTH is 20 MB a request): 6 MB each keeps
# them within it, and a scanned sheet of a few pages is well below that.
MAX_BYTES = 6 * 1024 * 1024
# A complete PDF ends with "%%EOF" (ISO 32000-1 §7.5.5), followed by at most a line end or a little
# padding some writers add.
_TAIL = 1024


def _refused(field: str, rule: str, message: Text) -> Invalid:
    return Invalid(f"congress_document_{rule}", message, [{"field": field, "rule": rule, "message": message}])


def check_pdf(data: bytes, filename: str, field: str) -> None:
    """Refuse (422, naming `field`) anything but a complete PDF within the size limit, judged by its bytes."""
    if not data:
        raise _refused(
            field, "empty_file", Text(N_("文件“%(name)s”是空的（0 字节），请检查后重新上传。"), name=filename)
        )
    if len(data) > MAX_BYTES:
        raise _refused(field, "too_large", Text(N_("文件“%(name)s”大小为 %(size)s MB，超过会议材料的上限 %(limit)s MB。"
                                                   "请降低扫描分辨率后重新上传。"), name=filename,
                                                size=f"{len(data) / 1024 / 1024:.1f}", limit=MAX_BYTES // 1024 // 1024))  # fmt: skip
    if not data.startswith(b"%PDF-"):
        found = by_signature(data)
        if found is None and data.startswith(ZIP_SIGNATURES):
            found = FileKind("zip", N_("ZIP 压缩包或 Office 文档"))
        what = found.label if found else N_("无法识别的文件（文本或其他格式）")
        raise _refused(field, "file_type", Text(N_("文件“%(name)s”实际上是%(what)s，会议记录、决议和签到表只接受 PDF。"
                                                   "请扫描或另存为 PDF 后重新上传。"), name=filename, what=Text(what)))  # fmt: skip
    if b"%%EOF" not in data[-_TAIL:]:
        raise _refused(field, "corrupt", Text(N_("文件“%(name)s”不是完整的 PDF（缺少文件结尾，可能上传中断或已损坏），"
                                                 "请重新保存后上传。"), name=filename))  # fmt: skip


def _safe_name(filename: str, kind: str) -> str:
    return (filename or KINDS[kind]).replace("\\", "/").rsplit("/", 1)[-1][:255] or KINDS[kind]


def pending_documents(session: Session, plan: Plan) -> dict[str, CongressDocument]:
    """The documents waiting for the vote on the plan's current revision, by kind."""
    rows = session.scalars(
        select(CongressDocument).where(
            CongressDocument.plan_id == plan.id, CongressDocument.vote_id.is_(None),
            CongressDocument.content_hash == plan.content_hash,
        ).order_by(CongressDocument.id)
    )  # fmt: skip
    return {row.kind: row for row in rows}


def documents_of_vote(session: Session, vote: CongressVote) -> list[CongressDocument]:
    """The documents recorded with a vote, in the order of KINDS."""
    rows = {d.kind: d for d in session.scalars(select(CongressDocument).where(CongressDocument.vote_id == vote.id))}
    return [rows[kind] for kind in KINDS if kind in rows]


def add_congress_document(
    session: Session, *, actor: Actor, plan: Plan, kind: str, data: bytes, filename: str
) -> CongressDocument:
    """Store one session document for the vote waiting on the plan, replacing a waiting one of that kind."""
    user = actor.person
    policy.require_role(user, plan, Role.UNION, N_("上传职工代表大会会议材料"))
    if kind not in KINDS:
        raise NotFound(
            "congress_document_kind",
            Text(N_("会议材料只有会议记录（minutes）、会议决议（resolution）和签到表（attendance）三类。")),
        )
    take_task(session, plan, (Task.CONGRESS_VOTE,), N_("上传职工代表大会会议材料"))
    check_pdf(data, filename, kind)
    replaced = pending_documents(session, plan).get(kind)
    if replaced is not None:
        audit.record(session, actor=actor, role=Role.UNION, action="congress.document_replaced", plan=plan,
                     summary=described(replaced))  # fmt: skip
        session.delete(replaced)
    document = CongressDocument(plan_id=plan.id, kind=kind, content_hash=plan.content_hash,
                                filename=_safe_name(filename, kind), size=len(data),
                                sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=user.id)  # fmt: skip
    session.add(document)
    session.flush()
    audit.record(session, actor=actor, role=Role.UNION, action="congress.document_uploaded", plan=plan,
                 summary=described(document))  # fmt: skip
    return document


def get_congress_document(session: Session, plan: Plan, document_id: int) -> CongressDocument:
    document = session.get(CongressDocument, document_id)
    if document is None or document.plan_id != plan.id:
        raise NotFound("congress_document_not_found", Text(N_("该方案没有这份会议材料。")))
    return document


def described(document: CongressDocument) -> dict[str, object]:
    """What the trail and the case file keep of a document."""
    return {"id": document.id, "kind": document.kind, "kind_label": KINDS[document.kind],
            "filename": document.filename, "size": document.size, "sha256": document.sha256,
            "content_hash": document.content_hash}  # fmt: skip
