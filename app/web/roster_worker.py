"""One worker of the roster: every field, what was computed, the warnings, the history, and (for the
enterprise clerk while drafting) a form to change the fields.

An edit is `services.roster.edit_worker`, which puts the row through the import's cell parsing and row
checks: errors come back as in an import report (row, column, rule, message) and are shown beside the
field they name, nothing saved and everything typed kept. Only the fields the clerk changed are sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Field, SelectField, StringField, TextAreaField

from app.extensions import db
from app.web import bp
from app.web.form_fields import Problem, attach_details
from app.web.form_helpers import choices
from app.web.plan_content import report_column
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.errors import Conflict, Invalid, NotFound
from approvals.i18n import N_, Text
from approvals.models import Plan, Role, User
from approvals.models.roster import RosterWorker, RosterWorkerChange
from approvals.process import Status
from approvals.roster.columns import BY_KEY, CHOICE, COLUMNS, DATE, FLAG, Column
from approvals.rules.content import CHANNELS
from approvals.rules.roster import months_between
from approvals.services import plans as plan_service
from approvals.services.roster import Issue, edit_worker, reference_date, worker_history, worker_of
from approvals.services.roster_view import other_records

EDITABLE = tuple(c for c in COLUMNS if c.key != "id_number")  # the ID number is the worker: never edited
LONG_TEXT = {"contact_attempts", "justification", "remarks"}
BY_HEADER = {c.header: c.key for c in COLUMNS}
CHANGE_LABELS = {"edited": _l("逐人修改"), "updated": _l("重新导入时更新"), "removed": _l("重新导入时移除")}


def _field(column: Column) -> Field:
    label, description = _l(column.header), _l(column.description)
    if column.kind in (CHOICE, FLAG):
        options = choices([("", _l("（不填）"))] + [(text, _l(text)) for text in column.labels])
        return SelectField(label, choices=options, description=description, validate_choice=False)
    if column.key in LONG_TEXT:
        return TextAreaField(label, description=description, render_kw={"rows": 2})
    render_kw = {"placeholder": _l("如 2018-07-26")} if column.kind == DATE else {}
    return StringField(label, description=description, render_kw=render_kw)


WorkerForm: type[FlaskForm] = type("WorkerForm", (FlaskForm,), {c.key: _field(c) for c in EDITABLE})


def cell_text(column: Column, value: Any) -> str:
    """A stored value as the roster file (and the form) writes it: choices and 是/否 by their label."""
    if value is None:
        return ""
    if column.kind in (CHOICE, FLAG):
        label = column.label_of(value)
        if label is not None:
            return label
    return str(value)


def _current(worker: RosterWorker) -> dict[str, str]:
    return {c.key: cell_text(c, worker.data.get(c.key)) for c in EDITABLE}


def _column_key(column: str) -> str | None:
    key = report_column(column)
    return key if key in BY_KEY else None


@bp.route("/plans/<int:plan_id>/roster/workers/<id_number>", methods=["GET", "POST"])
def roster_worker(plan_id: int, id_number: str):
    user = web_user()
    posted = request.method == "POST"
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=posted)
    if not policy.sees_personal_data(user, plan):  # as on the plan page: no personal data for them
        raise NotFound("worker_not_found", Text(N_("该方案的职工名单中没有这名职工。")))
    worker = worker_of(db.session, plan, id_number)
    if not posted:
        return _render(plan, worker, WorkerForm(formdata=None, data=_current(worker)), [])
    policy.require_role(user, plan, Role.ENTERPRISE, N_("修改职工名单"))
    form = WorkerForm()
    current = _current(worker)
    typed = {key: (form[key].data or "").strip() for key in current if key in request.form}  # a field not sent: kept
    changes = {key: value for key, value in typed.items() if value != current[key]}
    if not changes:
        db.session.rollback()
        flash(_("没有修改任何字段。"), "info")
        return redirect(url_for("web.roster_worker", plan_id=plan_id, id_number=worker.id_number))
    try:
        report, _worker = edit_worker(db.session, actor=web_actor(), plan=plan, id_number=worker.id_number,
                                      changes=changes)  # fmt: skip
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        return _render(plan, worker, form, attach_details(form, exc)), exc.status
    if report.errors:
        db.session.rollback()
        problems = _place(form, report.errors)
        problems.insert(0, Problem("roster_invalid", _("有 %(n)s 处错误，未保存。请按字段旁的提示修改后重新保存，已填写的内容不会丢失。",
                                                       n=len(report.errors))))  # fmt: skip
        return _render(plan, worker, form, problems), 422
    name = worker.name
    db.session.commit()
    flash(_("已保存职工“%(name)s”的修改（%(fields)s）。", name=name,
            fields=_("、").join(_(BY_KEY[key].header) for key in changes)), "success")  # fmt: skip
    if report.warnings:
        flash(ngettext("请注意该职工的 %(n)s 条提示（见下方）。", "请注意该职工的 %(n)s 条提示（见下方）。",
                       len(report.warnings), n=len(report.warnings)), "warning")  # fmt: skip
    return redirect(url_for("web.roster_worker", plan_id=plan_id, id_number=worker.id_number))


def _place(form: FlaskForm, issues: list[Issue]) -> list[Problem]:
    """Each error of the row beside the field of its column; those of no field returned."""
    unplaced = []
    for issue in issues:
        problem = Problem(issue.rule, issue.message)
        key = _column_key(issue.column)
        if key is not None and key in form._fields:
            form[key].errors = [*form[key].errors, problem]
        else:
            unplaced.append(problem)
    return unplaced


@dataclass(frozen=True)
class Change:
    """One entry of the worker's history and what it changed (field, before, after)."""

    kind: str
    by: str
    at: datetime | None
    fields: list[tuple[str, str, str]]


def _history(plan: Plan, worker: RosterWorker) -> list[Change]:
    """Newest first. Each entry keeps the row before it; the row after it is the next entry's, or the current."""
    entries = worker_history(db.session, plan, worker.id_number)
    ids = {e.changed_by_id for e in entries if e.changed_by_id}
    names = {u.id: u.display_name or u.username
             for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}  # fmt: skip
    afters = [e.before for e in entries[1:]] + [worker.data] if entries else []
    return [Change(e.change, names.get(e.changed_by_id or 0, ""), e.changed_at, _diff(e, after))
            for e, after in zip(entries, afters, strict=True)][::-1]  # fmt: skip


def _diff(entry: RosterWorkerChange, after: dict[str, Any]) -> list[tuple[str, str, str]]:
    changed = []
    for column in COLUMNS:
        old, new = cell_text(column, entry.before.get(column.key)), cell_text(column, after.get(column.key))
        if old != new:
            changed.append((column.header, old, new))
    return changed


def _span(start: date | None, reference: date) -> str | None:
    """Years and months from `start` to the plan's reference date, as the worker page states them."""
    months = months_between(start, reference) if start else -1
    return _("%(years)s年%(months)s个月", years=months // 12, months=months % 12) if months >= 0 else None


def _service(plan: Plan, worker: RosterWorker) -> dict[str, Any]:
    """Service at this employer (劳动合同法第四十七条 "在本单位工作的年限", from 入企时间) and total working
    years (工龄, from 参加工作时间), each to the plan's reference date: two facts, never one."""
    reference = reference_date(plan)
    return {"reference": reference, "at_employer": _span(worker.hire_date, reference),
            "working_years": _span(worker.work_start, reference)}  # fmt: skip


def _elsewhere(plan: Plan, worker: RosterWorker, user: User) -> dict[str, Any]:
    """For the bureau: the other plans holding this worker or the worker's spouse (the enterprise sees
    only its warnings, which name no plan)."""
    if not policy.sees_data_matches(user, plan):
        return {"elsewhere": [], "may_open": set()}
    found = other_records(db.session, plan, [worker]).get(worker.id_number, [])
    return {"elsewhere": found, "may_open": {r.plan.id for r in found if policy.can_view(user, r.plan)}}


def _render(plan: Plan, worker: RosterWorker, form: FlaskForm, problems: list[Problem]) -> str:
    user = web_user()
    return render_template(
        "web/roster/worker.html", plan=plan, worker=worker, form=form, problems=problems,
        editable=plan.status == Status.DRAFTING and policy.holds(user, plan, Role.ENTERPRISE),
        clerk=policy.holds(user, plan, Role.ENTERPRISE), row=worker.roster_row,
        history=_history(plan, worker), change_labels=CHANGE_LABELS, channels=CHANNELS, headers=BY_HEADER,
        column_header={c.key: c.header for c in COLUMNS}, fields=[form[c.key] for c in EDITABLE],
        service=_service(plan, worker), **_elsewhere(plan, worker, user),
    )  # fmt: skip
