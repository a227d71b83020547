"""Updating the execution ledger from an .xlsx on the page: check only (dry run), or check and save when no
row has an error; the report lists each error by row, column and rule (approvals/execution/bulk.py)."""

from __future__ import annotations

import io

from flask import flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.web import bp
from app.web.drafting import enterprise_plan
from app.web.execution import render_ledger
from app.web.session import web_actor
from approvals.execution.bulk import bulk_update
from approvals.execution.workbook import ledger_template
from approvals.i18n import N_

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/execution-template.xlsx")
def execution_template_xlsx():
    return send_file(io.BytesIO(ledger_template()), mimetype=XLSX, as_attachment=True,
                     download_name="实施台账批量登记模板.xlsx")  # fmt: skip


@bp.post("/plans/<int:plan_id>/execution/ledger/upload")
def execution_upload(plan_id: int):
    plan = enterprise_plan(plan_id, N_("批量登记实施情况"), for_update=True)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        db.session.rollback()
        return render_ledger(plan, upload_problem=_("请选择要上传的实施台账文件（.xlsx）。")), 422
    data = upload.read()
    dry_run = request.form.get("action") != "commit"
    report = bulk_update(db.session, actor=web_actor(), plan=plan, data=data, dry_run=dry_run,
                         filename=upload.filename)  # fmt: skip
    if report.committed:
        db.session.commit()
        flash(_("已保存 %(rows)s 名职工的 %(n)s 项登记。", rows=report.rows, n=report.entries), "success")
        return redirect(url_for("web.execution_ledger", plan_id=plan_id))
    db.session.rollback()
    plan = enterprise_plan(plan_id, N_("批量登记实施情况"))
    return render_ledger(plan, bulk=report), (422 if report.errors else 200)
