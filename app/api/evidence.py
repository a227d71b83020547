"""Evidence files of the funding sources: upload, list, download, remove."""

from __future__ import annotations

from flask import jsonify

from app.api import bp, current_actor, current_user
from app.api.http import created, uploaded_file
from app.api.registry import endpoint
from app.api.schemas import EvidenceList, EvidenceOut
from app.downloads import evidence_file
from app.extensions import db
from approvals.models import FundingEvidence
from approvals.services import plans as plan_service
from approvals.services.evidence import ACCEPTED, add_evidence, evidence_of, get_evidence, remove_evidence


def _out(evidence: FundingEvidence) -> EvidenceOut:
    return EvidenceOut(id=evidence.id, source_number=evidence.source_number, filename=evidence.filename,
                       kind=evidence.kind, content_type=ACCEPTED[evidence.kind][0], size=evidence.size,
                       sha256=evidence.sha256, uploaded_by_id=evidence.uploaded_by_id,
                       uploaded_at=evidence.uploaded_at)  # fmt: skip


@endpoint(bp, "POST", "/plans/<int:plan_id>/funding/sources/<int:source_number>/evidence",
          summary="上传第N项资金来源的证明材料（PDF、JPEG、PNG、.xlsx、.docx，按文件内容识别类型，≤10 MB）",
          upload="file", response=EvidenceOut, errors=(401, 403, 404, 409, 413), status=201)  # fmt: skip
def upload_evidence(plan_id: int, source_number: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    data, filename = uploaded_file("证明材料")
    evidence = add_evidence(db.session, actor=current_actor(), plan=plan, source_number=source_number,
                            data=data, filename=filename)  # fmt: skip
    out = _out(evidence).model_dump(mode="json")
    db.session.commit()
    return created(out)


@endpoint(bp, "GET", "/plans/<int:plan_id>/funding/evidence", summary="资金来源证明材料列表", response=EvidenceList)
def list_evidence(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id)
    return jsonify(EvidenceList(items=[_out(e) for e in evidence_of(db.session, plan)]).model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/funding/evidence/<int:evidence_id>", summary="下载一份资金来源证明材料",
          produces=tuple(dict.fromkeys(media for media, *_rest in ACCEPTED.values())))  # fmt: skip
def download_evidence(plan_id: int, evidence_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id)
    return evidence_file(get_evidence(db.session, plan, evidence_id))


@endpoint(bp, "DELETE", "/plans/<int:plan_id>/funding/evidence/<int:evidence_id>",
          summary="删除一份资金来源证明材料（起草阶段，企业经办人）", response=EvidenceList,
          errors=(401, 403, 404, 409))  # fmt: skip
def delete_evidence(plan_id: int, evidence_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    remove_evidence(db.session, actor=current_actor(), plan=plan, evidence_id=evidence_id)
    out = EvidenceList(items=[_out(e) for e in evidence_of(db.session, plan)]).model_dump(mode="json")
    db.session.commit()
    return jsonify(out)
