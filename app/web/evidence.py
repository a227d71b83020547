"""Evidence files of the funding sources from the drafting page: upload (multipart), download, delete.

Each goes through `services.evidence` as the API does; a refused upload (wrong real type, too large,
empty, not in drafting) re-renders the funding section with the message beside its source, nothing
saved and nothing else changed.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from app.downloads import evidence_file
from app.extensions import db
from app.web import bp
from app.web.drafting import enterprise_plan, render_draft
from app.web.evidence_panel import UploadRefused, upload_form
from app.web.form_fields import attach_details
from app.web.i18n import say
from app.web.session import web_actor, web_user
from approvals.errors import Conflict, Invalid, NotFound
from approvals.i18n import N_
from approvals.services import plans as plan_service
from approvals.services.evidence import add_evidence, get_evidence, remove_evidence


def _funding(plan_id: int) -> str:
    return url_for("web.draft_plan", plan_id=plan_id, section="funding") + "#evidence"


@bp.post("/plans/<int:plan_id>/funding/sources/<int:number>/evidence")
def upload_evidence(plan_id: int, number: int):
    plan = enterprise_plan(plan_id, N_("上传资金证明材料"), for_update=True)
    form = upload_form(number)
    if not form.validate():
        db.session.rollback()
        return render_draft(plan, "funding", UploadRefused(number, form, [])), 422
    upload = form.file.data
    try:
        data = upload.read()
    finally:  # a large upload is spooled to a temporary file
        upload.close()
    try:
        evidence = add_evidence(db.session, actor=web_actor(), plan=plan, source_number=number, data=data,
                                filename=upload.filename or _("证明材料"))  # fmt: skip
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        return render_draft(plan, "funding", UploadRefused(number, form, attach_details(form, exc))), exc.status
    db.session.commit()
    flash(_("已为第%(n)s项资金来源上传证明材料“%(name)s”。", n=number, name=evidence.filename), "success")
    return redirect(_funding(plan_id))


@bp.get("/plans/<int:plan_id>/funding/evidence/<int:evidence_id>")
def download_evidence(plan_id: int, evidence_id: int):
    plan = plan_service.get_plan(db.session, web_user(), plan_id)
    return evidence_file(get_evidence(db.session, plan, evidence_id))


@bp.post("/plans/<int:plan_id>/funding/evidence/<int:evidence_id>/delete")
def delete_evidence(plan_id: int, evidence_id: int):
    plan = enterprise_plan(plan_id, N_("删除资金证明材料"), for_update=True)
    try:
        evidence = get_evidence(db.session, plan, evidence_id)
        number, name = evidence.source_number, evidence.filename
        remove_evidence(db.session, actor=web_actor(), plan=plan, evidence_id=evidence_id)
    except (Conflict, NotFound) as exc:
        db.session.rollback()
        flash(say(exc.message), "danger")
        return redirect(_funding(plan_id))
    db.session.commit()
    flash(_("已删除第%(n)s项资金来源的证明材料“%(name)s”。", n=number, name=name), "success")
    return redirect(_funding(plan_id))
