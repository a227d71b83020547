"""The congress session's documents (minutes, resolution, signed attendance sheet): upload and download.

Uploaded by the union before the vote is recorded (POST /plans/{id}/congress-votes binds them); listed
with each vote in GET /plans/{id}/congress-votes.
"""

from __future__ import annotations

from app.api import bp, current_actor, current_user
from app.api.decisions import document_out
from app.api.http import created, uploaded_file
from app.api.registry import endpoint
from app.api.schemas import CongressDocumentOut
from app.downloads import congress_document_file
from app.extensions import db
from approvals.services import plans as plan_service
from approvals.services.congress_documents import MAX_BYTES, add_congress_document, get_congress_document


@endpoint(bp, "POST", "/plans/<int:plan_id>/congress-votes/documents/<kind>",
          summary="上传职工代表大会会议材料（工会代表，表决结果录入前）：kind 为 minutes 会议记录、resolution 会议决议或 "
                  f"attendance 签到表；只接受 PDF（按文件内容识别），≤{MAX_BYTES // 1024 // 1024} MB；同类材料再次上传即替换",
          upload="file", response=CongressDocumentOut, errors=(401, 403, 404, 409, 413), status=201)  # fmt: skip
def upload_congress_document(plan_id: int, kind: str):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    data, filename = uploaded_file("")
    document = add_congress_document(db.session, actor=current_actor(), plan=plan, kind=kind, data=data,
                                     filename=filename)  # fmt: skip
    out = document_out(document).model_dump(mode="json")
    db.session.commit()
    return created(out)


@endpoint(bp, "GET", "/plans/<int:plan_id>/congress-documents/<int:document_id>",
          summary="下载一份职工代表大会会议材料（PDF）", produces="application/pdf")  # fmt: skip
def download_congress_document(plan_id: int, document_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id)
    return congress_document_file(get_congress_document(db.session, plan, document_id))
