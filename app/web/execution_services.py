"""The services for leaving workers of a plan in execution (冀人社发〔2018〕38号 §四): the list of who is short
and by how much (every reader of the plan: the bureau follows it, the supervisor reads it), one worker's
ledger (those who see personal data; the enterprise records on it) and the households. The rules are the
core's (approvals/execution_services/); a refusal is shown on the form that was sent, with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.i18n import say
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.errors import ApprovalError, Invalid, NotFound
from approvals.execution.items import OUTCOME_KINDS
from approvals.execution_services import rules
from approvals.execution_services.common import require_recorder, today
from approvals.execution_services.corrections import KINDS as CORRECTABLE
from approvals.execution_services.corrections import correct_record, withdraw_record
from approvals.execution_services.corrections import history as service_history
from approvals.execution_services.difficulty import age_rule, confirm_difficulty, file_difficulty, record_assistance
from approvals.execution_services.households import add_member, proposed_couples, record_household, record_post
from approvals.execution_services.ledger import household_list, ledger_rows, worker_ledger
from approvals.execution_services.self_employment import record_support
from approvals.execution_services.services import record_service, services_due
from approvals.i18n import N_, Text
from approvals.models import Plan, Role
from approvals.paging import Page
from approvals.rules.content import CHANNELS
from approvals.services import plans as plan_service

Form = MultiDict[str, str]


def _day(form: Form, field: str, label: str) -> date | None:
    """The form's date, None when blank; a malformed one is a 422 naming the field."""
    text = (form.get(field) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = Text(N_("“%(field)s”须为日期，如2026-12-07。"), field=Text(label))
        raise Invalid("invalid_date", message, [{"field": field, "rule": "date", "message": message}]) from None


def _labels() -> dict[str, dict[str, str]]:
    """Every code the pages show, by its label in the reader's language (translated once per page)."""
    sets = {"channels": CHANNELS, "services": rules.SERVICE_KINDS, "criteria": rules.DIFFICULTY_CRITERIA,
            "posts": rules.POST_KINDS, "supports": rules.SUPPORT_KINDS, "relations": rules.RELATIONS,
            "sexes": rules.SEXES, "outcomes": OUTCOME_KINDS}  # fmt: skip
    return {name: {key: _(label) for key, label in labels.items()} for name, labels in sets.items()}


def _plan(plan_id: int, for_update: bool = False) -> Plan:
    return plan_service.get_plan(db.session, web_user(), plan_id, for_update=for_update)


@bp.get("/plans/<int:plan_id>/execution-services")
def execution_services(plan_id: int):
    user = web_user()
    plan = _plan(plan_id)
    rows = ledger_rows(db.session, user, plan)
    only_short = request.args.get("short") == "1"
    shown = [r for r in rows if r.services.count.short] if only_short else rows
    page = Page.of(shown, query_int("page", 1), current_app.config["PAGE_SIZE"])
    return render_template("web/execution_services/list.html", plan=plan, page=page, only_short=only_short,
                           leaving=len(rows), short=sum(1 for r in rows if r.services.count.short),
                           overdue=sum(1 for r in rows if r.overdue), due=services_due(db.session, plan),
                           sees=policy.sees_personal_data(user, plan), labels=_labels(),
                           minimum=(rules.MIN_JOB_RECOMMENDATIONS, rules.MIN_OTHER_SERVICES))  # fmt: skip


def _service(plan: Plan, id_number: str, f: Form) -> None:
    record_service(db.session, actor=web_actor(), plan=plan, id_number=id_number, kind=f.get("kind", ""),
                   provided_on=_day(f, "provided_on", N_("服务日期")), provider=f.get("provider", ""),
                   result=f.get("result", ""))  # fmt: skip


def _difficulty(plan: Plan, id_number: str, f: Form) -> None:
    confirm_difficulty(db.session, actor=web_actor(), plan=plan, id_number=id_number, criteria=f.getlist("criteria"),
                       note=f.get("note", ""))  # fmt: skip


def _filing(plan: Plan, id_number: str, f: Form) -> None:
    file_difficulty(db.session, actor=web_actor(), plan=plan, id_number=id_number,
                    filed_on=_day(f, "filed_on", N_("建档日期")), file_number=f.get("file_number", ""))  # fmt: skip


def _assistance(plan: Plan, id_number: str, f: Form) -> None:
    record_assistance(db.session, actor=web_actor(), plan=plan, id_number=id_number,
                      provided_on=_day(f, "provided_on", N_("援助日期")), helper=f.get("helper", ""),
                      content=f.get("content", ""), result=f.get("result", ""))  # fmt: skip


def _support(plan: Plan, id_number: str, f: Form) -> None:
    record_support(db.session, actor=web_actor(), plan=plan, id_number=id_number, kind=f.get("kind", ""),
                   granted_on=_day(f, "granted_on", N_("办理日期")), provider=f.get("provider", ""),
                   amount=f.get("amount") or None, reference=f.get("reference", ""))  # fmt: skip


# The forms of a worker's page: what each records, and what is said when it did.
WORKER_FORMS: dict[str, tuple[Callable[[Plan, str, Form], None], str]] = {
    "service": (_service, N_("已记录就业服务。")),
    "difficulty": (_difficulty, N_("已认定为就业困难人员。")),
    "filing": (_filing, N_("已记录建档立卡。")),
    "assistance": (_assistance, N_("已记录“一对一”就业援助。")),
    "support": (_support, N_("已记录创业扶持。")),
}


def _refusal(exc: ApprovalError) -> list[str]:
    """The refusal's message and every problem it lists, in the reader's language, each once."""
    return list(dict.fromkeys(str(say(m)) for m in [exc.message, *[d.get("message") for d in exc.details or []
                                                                     if isinstance(d, dict)]] if m))  # fmt: skip


def _worker_page(plan: Plan, id_number: str, failed: tuple[str, list[str], Form] | None = None) -> str:
    user = web_user()
    ledger = worker_ledger(db.session, user, plan, id_number)
    rule = age_rule(db.session, today())
    return render_template("web/execution_services/worker.html", plan=plan, w=ledger, labels=_labels(),
                           may_record=policy.holds(user, plan, Role.ENTERPRISE), failed=failed,
                           may_correct=plan.status == "executing" and policy.holds(user, plan, Role.ENTERPRISE),
                           history=service_history(db.session, plan, worker_id=ledger.worker.id),
                           minimum=(rules.MIN_JOB_RECOMMENDATIONS, rules.MIN_OTHER_SERVICES), ages=rule,
                           needs_note=rules.NEEDS_NOTE, amounts=rules.WITH_AMOUNT)  # fmt: skip


@bp.get("/plans/<int:plan_id>/execution-services/workers/<id_number>")
def execution_services_worker(plan_id: int, id_number: str):
    return _worker_page(_plan(plan_id), id_number)


# The worker's ID number last, as in every URL of a worker: a refusal or a redirect that repeats the URL
# shows no other worker's number.
@bp.post("/plans/<int:plan_id>/execution-services/records/<what>/<id_number>")
def record_for_worker(plan_id: int, id_number: str, what: str):
    if what not in WORKER_FORMS:
        abort(404)
    record, done = WORKER_FORMS[what]
    plan = _plan(plan_id, for_update=True)
    try:
        record(plan, id_number, request.form)
    except ApprovalError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        return _worker_page(_plan(plan_id), id_number, (what, _refusal(exc), request.form)), exc.status
    db.session.commit()
    flash(_(done), "success")
    return redirect(url_for("web.execution_services_worker", plan_id=plan_id, id_number=id_number, _anchor=what))


def _households_page(plan: Plan, failed: tuple[str, list[str], Form] | None = None) -> str:
    user = web_user()
    sees = policy.sees_personal_data(user, plan)
    listed = household_list(db.session, user, plan)
    members = {m.id for h in listed for m in h.members}
    return render_template("web/execution_services/households.html", plan=plan, labels=_labels(),
                           households=listed, failed=failed,
                           may_correct=plan.status == "executing" and policy.holds(user, plan, Role.ENTERPRISE),
                           history=service_history(db.session, plan, member_ids=members) if sees else [],
                           couples=proposed_couples(db.session, plan) if sees else [],
                           may_record=policy.holds(user, plan, Role.ENTERPRISE))  # fmt: skip


@bp.get("/plans/<int:plan_id>/execution-services/households")
def execution_households(plan_id: int):
    return _households_page(_plan(plan_id))


def _new_household(plan: Plan, f: Form) -> None:
    numbers, relations = f.getlist("id_number"), f.getlist("relation")
    members = [(n, r) for n, r in zip(numbers, relations, strict=False) if n.strip()]
    record_household(db.session, actor=web_actor(), plan=plan, members=members)


def _household_form(what: str, plan: Plan, f: Form, household_id: int, member_id: int) -> None:
    if what == "household":
        _new_household(plan, f)
    elif what == "member":
        add_member(db.session, actor=web_actor(), plan=plan, household_id=household_id, name=f.get("name", ""),
                   relation=f.get("relation", ""), sex=f.get("sex", ""), birth_date=_day(f, "birth_date", N_("出生日期")),
                   employed=f.get("employed") == "1")  # fmt: skip
    else:
        record_post(db.session, actor=web_actor(), plan=plan, member_id=member_id, household_id=household_id,
                    kind=f.get("kind", ""),
                    employer=f.get("employer", ""), post=f.get("post", ""),
                    starts_on=_day(f, "starts_on", N_("上岗日期")), ends_on=_day(f, "ends_on", N_("截止日期")))  # fmt: skip


HOUSEHOLD_DONE = {
    "household": N_("已登记家庭。"),
    "member": N_("已登记家庭成员。"),
    "member_post": N_("已记录上岗情况。"),
}


def _form_id(name: str) -> int:
    """A hidden id of the households form (0 when absent); anything but a number names nothing: 404."""
    text = (request.form.get(name) or "0").strip()
    if not text.isdigit() or len(text) > 9:
        raise NotFound("household_not_found", Text(N_("本方案没有这户家庭。")))
    return int(text)


@bp.post("/plans/<int:plan_id>/execution-services/households/records")
def record_household_form(plan_id: int):
    """One form of the households page: a new household, a family member (household_id), a member's post
    (household_id and member_id)."""
    plan = _plan(plan_id, for_update=True)
    require_recorder(web_actor(), plan, N_("登记家庭"))  # the role before the ids of the form: 403, not 404
    household_id, member_id = _form_id("household_id"), _form_id("member_id")
    what = "member_post" if member_id else "member" if household_id else "household"
    form: Any = request.form
    try:
        _household_form(what, plan, form, household_id, member_id)
    except ApprovalError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        key = f"{what}-{member_id or household_id}"
        return _households_page(_plan(plan_id), (key, _refusal(exc), form)), exc.status
    db.session.commit()
    flash(_(HOUSEHOLD_DONE[what]), "success")
    return redirect(url_for("web.execution_households", plan_id=plan_id))


CORRECTED = {"correct": N_("已更正：%(record)s。"), "withdraw": N_("已撤销：%(record)s。")}


@bp.post("/plans/<int:plan_id>/execution-services/corrections/<what>/<int:record_id>/<action>")
def correct_service_record(plan_id: int, what: str, record_id: int, action: str):
    """Correct (更正) or withdraw (撤销) a service record with the reason; a refusal shows the form again."""
    kind = CORRECTABLE.get(what)
    if kind is None or action not in CORRECTED:
        abort(404)
    plan = _plan(plan_id, for_update=True)
    require_recorder(web_actor(), plan, N_("更正或撤销就业服务记录"))  # the role before the record's id: 403, not 404
    record = db.session.get(kind.model, record_id)
    if record is None or record.plan_id != plan.id:
        raise NotFound("record_not_found", Text(N_("本方案没有这条就业服务记录。")))
    id_number = getattr(record, "id_number", None)
    form: Any = request.form
    try:
        if action == "correct":
            values = {name: form.get(name, "") for name in kind.fields if name in form}
            correct_record(db.session, actor=web_actor(), plan=plan, what=what, record_id=record_id, values=values,
                           reason=form.get("reason"))  # fmt: skip
        else:
            withdraw_record(db.session, actor=web_actor(), plan=plan, what=what, record_id=record_id,
                            reason=form.get("reason"))  # fmt: skip
    except ApprovalError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        failed = (f"{what}-{record_id}-{action}", _refusal(exc), form)
        plan = _plan(plan_id)
        page = _worker_page(plan, id_number, failed) if id_number else _households_page(plan, failed)
        return page, exc.status
    db.session.commit()
    flash(_(CORRECTED[action], record=_(kind.label)), "success")
    if id_number:
        return redirect(url_for("web.execution_services_worker", plan_id=plan_id, id_number=id_number, _anchor=what))
    return redirect(url_for("web.execution_households", plan_id=plan_id, _anchor="history"))
