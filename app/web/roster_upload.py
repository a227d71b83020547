"""Importing the real-name roster in two steps, as the API does: check the file (dry run), read the
full report, then commit it — all rows, or only the valid ones when the clerk explicitly chooses so.

The file is checked once on upload and kept on the server until the commit (app/web/upload_stash.py);
the commit runs `import_roster` again on the same bytes, so the rules decide on the plan as it is
then (a changed reference date or wage parameter is taken into account).
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, HiddenField

from app.extensions import db
from app.inputs import query_int
from app.web import bp, upload_stash
from app.web.drafting import enterprise_plan
from app.web.form_fields import FileChosen, Problem, attach_details
from app.web.i18n import say
from app.web.plan_content import report_column, report_column_label
from app.web.session import web_actor, web_user
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_, stored
from approvals.models.roster import RosterImport
from approvals.paging import Page
from approvals.process import Status
from approvals.roster.workbook import roster_export, roster_template
from approvals.rules.content import CHANNELS
from approvals.rules.roster import RosterSummary
from approvals.services import plans as plan_service
from approvals.services.gate import plan_missing_items
from approvals.services.roster import JUSTIFY, RosterReport, import_roster, roster_rows_for_export
from approvals.services.roster_view import RosterFilter, roster_ids, roster_workers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISSUES_PER_PAGE = 50
WORKERS_FOUND = 20  # matches listed by the worker search; more: refine it


class UploadForm(FlaskForm):
    file = FileField(_l("职工名单文件"), validators=[FileChosen(_l("请选择要上传的职工名单文件（.xlsx 或 .csv）。"))],
                     description=_l("使用系统模板填写的 .xlsx，或 UTF-8/GBK 编码的 CSV，最大 20 MB。"),
                     render_kw={"accept": ".xlsx,.csv,.txt"})  # fmt: skip


class CommitForm(FlaskForm):
    sha256 = HiddenField()
    accept_valid = BooleanField(_l("我已知悉上述有错误的行不会导入，只导入无误的行。"))


@bp.route("/plans/<int:plan_id>/roster/upload", methods=["GET", "POST"])
def roster_upload(plan_id: int):
    posted = request.method == "POST"
    plan = enterprise_plan(plan_id, N_("导入职工名单"), for_update=posted)
    form = UploadForm()
    problems: list[Problem] = []
    if posted:
        if form.validate():
            upload = form.file.data
            data, filename = upload.read(), upload.filename or "roster"
            try:
                report = import_roster(db.session, actor=web_actor(), plan=plan, data=data, filename=filename,
                                       dry_run=True)  # fmt: skip
            except (Conflict, Invalid) as exc:
                db.session.rollback()
                problems = attach_details(form, exc)
            else:
                db.session.rollback()  # a dry run writes nothing; release the lock
                upload_stash.put(plan_id, web_user().id, filename, data, kept_report(report))
                return redirect(url_for("web.roster_upload", plan_id=plan_id))
        return _render(plan, form, problems), 422
    return _render(plan, form, problems)


@bp.post("/plans/<int:plan_id>/roster/commit")
def roster_commit(plan_id: int):
    plan = enterprise_plan(plan_id, N_("导入职工名单"), for_update=True)
    form = CommitForm()
    stashed = upload_stash.get(plan_id, web_user().id)
    back = redirect(url_for("web.roster_upload", plan_id=plan_id))
    if not form.validate() or stashed is None or stashed.sha256 != form.sha256.data:
        db.session.rollback()
        flash(_("待导入的文件已过期、已处理或已被另一次上传替换，未导入任何数据。请重新上传。"), "danger")
        return back
    try:
        report = import_roster(db.session, actor=web_actor(), plan=plan, data=stashed.data(),
                               filename=stashed.filename, dry_run=False, accept_valid=form.accept_valid.data)  # fmt: skip
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        flash(say(exc.message), "danger")
        return back
    if not report.committed:
        db.session.rollback()
        upload_stash.replace_report(stashed, kept_report(report))
        flash(_("名单有 %(n)s 行存在错误，未导入任何数据。请修改后重新上传，或勾选确认后只导入无误的行。",
                n=report.rejected), "danger")  # fmt: skip
        return back
    db.session.commit()
    upload_stash.drop(plan_id)
    flash(_("职工名单已导入：有效 %(accepted)s 行（新增 %(added)s、更新 %(updated)s、移除 %(removed)s），"
            "未导入有错误的 %(rejected)s 行。", accepted=report.accepted, added=report.added, updated=report.updated,
            removed=report.removed, rejected=report.rejected), "success")  # fmt: skip
    return back


@bp.post("/plans/<int:plan_id>/roster/discard")
def roster_discard(plan_id: int):
    enterprise_plan(plan_id, N_("导入职工名单"))
    upload_stash.drop(plan_id)
    flash(_("已放弃上传的文件，未导入任何数据。"), "info")
    return redirect(url_for("web.roster_upload", plan_id=plan_id))


@bp.get("/roster-template.xlsx")
def roster_template_xlsx():
    return send_file(io.BytesIO(roster_template()), mimetype=XLSX, as_attachment=True,
                     download_name="职工实名制台账模板.xlsx")  # fmt: skip


@bp.get("/plans/<int:plan_id>/roster.xlsx")
def roster_export_xlsx(plan_id: int):
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    data = roster_export(roster_rows_for_export(db.session, user, plan))
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"职工名单-方案{plan.id}.xlsx")


def kept_report(report: RosterReport) -> dict[str, Any]:
    """The report as the page keeps it until the commit: each message as its pattern and values, to be
    said in the language of whoever reads the report (the reader may switch language in between)."""
    kept = report.as_dict()
    for key in ("errors", "warnings"):
        for issue, given in zip(kept[key], getattr(report, key), strict=True):
            issue["message"] = stored(given.message)
    return kept


def _render(plan: Any, form: UploadForm, problems: list[Problem]) -> str:
    stashed = upload_stash.get(plan.id, web_user().id)
    context: dict[str, Any] = {}
    if stashed is not None:
        report = stashed.report
        show = "warnings" if request.args.get("show") == "warnings" else "errors"
        issues = report[show]
        context = {
            "stashed": stashed, "report": report, "show": show,
            "issues": Page.of(issues, query_int("page", 1), ISSUES_PER_PAGE),
            "columns": Counter(report_column(i["column"]) for i in issues).most_common(12),
            "commit_form": CommitForm(formdata=None, sha256=stashed.sha256),
        }  # fmt: skip
    q = (request.args.get("q") or "").strip()
    found = []
    if q:  # the clerk of the plan: may search by ID number too
        ids = roster_ids(plan.id, RosterFilter(q=q), search_ids=True).limit(WORKERS_FOUND + 1)
        found = roster_workers(db.session, list(db.session.scalars(ids)))
    imports = db.session.scalars(
        select(RosterImport).where(RosterImport.plan_id == plan.id).order_by(RosterImport.id.desc()).limit(5)
    ).all()
    return render_template(
        "web/forms/roster_upload.html", plan=plan, form=form, problems=problems, imports=imports,
        summary=RosterSummary.from_json(plan.roster_summary), channels=CHANNELS, column_label=report_column_label,
        justify=JUSTIFY, editable=plan.status == Status.DRAFTING,
        findings=[f for f in plan_missing_items(plan) if f.section == "roster"], q=q, found=found[:WORKERS_FOUND],
        more_found=len(found) > WORKERS_FOUND, **context,
    )  # fmt: skip
