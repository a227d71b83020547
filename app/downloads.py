"""Files that the JSON API and the web pages both hand out: evidence files, official documents (PDF) and
the case file (zip). One response for each; the caller first loads the plan with `get_plan` for the
user (the plan's 404 for an outsider), so both ways in check the same permission."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from app.documents import store
from app.documents.case_file import build_case_file
from app.documents.context import document
from app.documents.render import renderer
from app.extensions import audit_key, db
from approvals import policy
from approvals.i18n import N_
from approvals.models import CongressDocument, FundingEvidence, Plan, User
from approvals.services.evidence import ACCEPTED

PDF = "application/pdf"
ZIP = "application/zip"


def attachment(data: bytes, mimetype: str, filename: str, title: str) -> Response:
    """An attachment named in ASCII, with the Chinese title as the UTF-8 filename (RFC 6266)."""
    disposition = f"attachment; filename={filename}; filename*=UTF-8''{quote(title, safe='')}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})


def evidence_file(evidence: FundingEvidence) -> Response:
    """The file as uploaded, served as the type its bytes were found to be (never sniffed by the browser)."""
    response = attachment(evidence.data, ACCEPTED[evidence.kind][0], f"evidence-{evidence.id}.{evidence.kind}",
                          evidence.filename)  # fmt: skip
    response.headers.update({"X-Content-Type-Options": "nosniff", "ETag": f'"{evidence.sha256}"'})
    return response


def congress_document_file(document: CongressDocument) -> Response:
    """A session document (minutes, resolution, attendance sheet) as uploaded: always a PDF (checked on upload)."""
    response = attachment(document.data, PDF, f"congress-document-{document.id}.pdf", document.filename)
    response.headers.update({"X-Content-Type-Options": "nosniff", "ETag": f'"{document.sha256}"'})
    return response


def plan_document(plan: Plan, kind: str, number: int | None) -> Response:
    """One official document of the plan as PDF (404 unknown kind or number, 409 not made yet): its stored
    rendering, rendered now (and stored) only if no worker has made it yet (app/documents/store.py)."""
    found = document(db.session, plan, kind, number)
    kept = store.pdf(db.session, found)
    if kept.rendered:
        db.session.commit()
    response = attachment(kept.data, PDF, found.filename, f"{found.title}.pdf")
    response.headers["ETag"] = f'"{kept.sha256}"'
    return response


def case_file_bytes(user: User, plan: Plan) -> bytes:
    """The plan's case file (卷宗) with its signed SHA-256 manifest: it holds every revision's roster
    in full, so only for those who may see the workers' personal data (approvals/privacy.py). The
    one way to make it, for the web, the API and the CLI."""
    policy.require_personal_data(user, plan, N_("导出卷宗"))
    data = build_case_file(db.session, plan, renderer(), audit_key())
    db.session.commit()  # the documents it had to render itself are kept (app/documents/store.py)
    return data


def case_file(user: User, plan: Plan) -> Response:
    """The case file as a download."""
    return attachment(case_file_bytes(user, plan), ZIP, f"plan-{plan.id}-case-file.zip", f"{plan.title}·卷宗.zip")
