"""One worker's execution record: each part with what was entered, by whom and when, what is still open, and
(for the enterprise while the plan is carried out) a form per part. A refused entry keeps what was typed and
names each field it refuses, beside the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.web import bp
from app.web.form_fields import Problem
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.errors import Conflict, Invalid, NotFound
from approvals.execution.corrections import correct_part, history, part_values, withdraw_part
from approvals.execution.items import (
    AGREEMENT_KINDS,
    DATE_FIELDS,
    FIELD_LABELS,
    OUTCOME_FIELD_LABELS,
    OUTCOME_FIELDS,
    OUTCOME_KINDS,
    OUTCOMES_BY_CHANNEL,
    PART_FIELDS,
    PARTS,
    parts_for,
)
from approvals.execution.ledger import LedgerRow, ledger_row
from approvals.execution.open_items import ITEM_LABELS
from approvals.execution.records import record_part
from approvals.i18n import N_, Text
from approvals.models import Plan, Role
from approvals.process import Status
from approvals.rules.content import CHANNELS
from approvals.services import plans as plan_service

DUE_LABEL = N_("按解除日计算的应付经济补偿（元）")
AMOUNT_FIELDS = frozenset({"severance_paid", "arrears_amount"})
DATE_COLUMNS = frozenset(name for fields in PART_FIELDS.values() for name in fields if name.endswith("_on"))


@bp.route("/plans/<int:plan_id>/execution/workers/<int:worker_id>", methods=["GET", "POST"])
def execution_worker(plan_id: int, worker_id: int):
    user = web_user()
    posted = request.method == "POST"
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=posted)
    if not policy.sees_personal_data(user, plan):  # as the roster's worker page: not for them
        raise NotFound("worker_not_found", Text(N_("该方案的实施台账中没有这名职工。")))
    row = ledger_row(db.session, plan, worker_id)
    if not posted:
        return _render(plan, row)
    policy.require_role(user, plan, Role.ENTERPRISE, N_("登记实施情况"))
    part = request.form.get("part", "")
    values = _values(part)
    try:
        record_part(db.session, actor=web_actor(), plan=plan, worker_id=worker_id, part=part, values=values)
    except (Conflict, Invalid) as exc:
        return _refused(plan_id, worker_id, exc, part=part, typed=values)
    db.session.commit()
    flash(_("已登记：%(part)s。", part=_(PARTS[part])), "success")
    return redirect(url_for("web.execution_worker", plan_id=plan_id, worker_id=worker_id))


@bp.post("/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>/correct")
def execution_correct(plan_id: int, worker_id: int, part: str):
    """Correct an entered part (更正): the part's fields as the entry form has them, and the reason."""
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=True)
    policy.require_role(user, plan, Role.ENTERPRISE, N_("更正实施记录"))
    values, reason = _values(part), request.form.get("reason", "")
    try:
        correct_part(db.session, actor=web_actor(), plan=plan, worker_id=worker_id, part=part, values=values,
                     reason=reason)  # fmt: skip
    except (Conflict, Invalid) as exc:
        return _refused(plan_id, worker_id, exc, part=part, typed={**values, "reason": reason}, mode="correct")
    db.session.commit()
    flash(_("已更正：%(part)s。", part=_(PARTS[part])), "success")
    return redirect(url_for("web.execution_worker", plan_id=plan_id, worker_id=worker_id, _anchor=f"part-{part}"))


@bp.post("/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>/withdraw")
def execution_withdraw(plan_id: int, worker_id: int, part: str):
    """Withdraw an entered part (撤销) with the reason: the part is open again."""
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=True)
    policy.require_role(user, plan, Role.ENTERPRISE, N_("撤销实施记录"))
    reason = request.form.get("reason", "")
    try:
        withdraw_part(db.session, actor=web_actor(), plan=plan, worker_id=worker_id, part=part, reason=reason)
    except (Conflict, Invalid) as exc:
        return _refused(plan_id, worker_id, exc, part=part, typed={"reason": reason}, mode="withdraw")
    db.session.commit()
    flash(_("已撤销：%(part)s。", part=_(PARTS[part])), "success")
    return redirect(url_for("web.execution_worker", plan_id=plan_id, worker_id=worker_id, _anchor=f"part-{part}"))


def _refused(plan_id: int, worker_id: int, exc: Conflict | Invalid, **form: Any):
    """The page again with what was typed and each problem beside its field; nothing was saved."""
    db.session.rollback()
    by_field: dict[str, list[Problem]] = {}
    for detail in exc.details if isinstance(exc, Invalid) and isinstance(exc.details, list) else []:
        by_field.setdefault(detail["field"], []).append(Problem(detail["rule"], detail["message"]))
    plan = plan_service.get_plan(db.session, web_user(), plan_id)
    return _render(plan, ledger_row(db.session, plan, worker_id), errors=by_field, refusal=exc.message,
                   **form), exc.status  # fmt: skip


def _values(part: str) -> dict[str, Any]:
    """The part's fields as the form sent them; the outcome's only those of the chosen kind."""
    if part == "outcome":
        kind = request.form.get("outcome_kind", "")
        return {"outcome_kind": kind, **{n: request.form.get(n, "") for n in OUTCOME_FIELDS.get(kind, ())}}
    return {name: request.form.get(name, "") for name in PART_FIELDS.get(part, ()) if name in request.form}


def _shown(row: LedgerRow) -> dict[str, Any]:
    """What the record holds, by part, as the page states it."""
    record = row.record
    if record is None:
        return {}
    shown: dict[str, Any] = {}
    for part in parts_for(row.worker.channel):
        if part == "outcome":
            facts = record.outcome or {}
            shown[part] = (
                [(FIELD_LABELS["outcome_kind"], _(OUTCOME_KINDS.get(record.outcome_kind, "")))]
                + [(OUTCOME_FIELD_LABELS[k], v) for k, v in facts.items() if v]
                if record.outcome_kind
                else []
            )
        else:
            shown[part] = [(FIELD_LABELS[n], _value(n, getattr(record, n))) for n in PART_FIELDS[part]
                           if getattr(record, n) is not None]  # fmt: skip
            if part == "termination" and record.severance_due is not None:
                shown[part].append((DUE_LABEL, f"{record.severance_due:,.2f}"))
    return shown


def _entered(row: LedgerRow) -> dict[str, dict[str, Any]]:
    """Who entered each part and when (a naive UTC moment: the page shows it in China time)."""
    entered = (row.record.entered if row.record else None) or {}
    return {part: {**who, "at": datetime.fromisoformat(who["at"])} for part, who in entered.items()}


def _value(name: str, value: Any) -> str:
    if name == "agreement_kind":
        return _(AGREEMENT_KINDS.get(value, value))
    if name in AMOUNT_FIELDS:
        return f"{value:,.2f}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _current(row: LedgerRow) -> dict[str, dict[str, Any]]:
    """Each entered part's values as its correction form starts with them."""
    record = row.record
    if record is None:
        return {}
    return {part: part_values(record, part) for part in (record.entered or {})}


def _render(plan: Plan, row: LedgerRow, *, part: str = "", typed: dict[str, Any] | None = None,
            errors: dict[str, list[Problem]] | None = None, refusal: str = "", mode: str = "") -> str:  # fmt: skip
    user = web_user()
    channel = row.worker.channel or ""
    return render_template(
        "web/execution/worker.html", plan=plan, row=row, worker=row.worker, record=row.record,
        parts=parts_for(channel), part_labels=PARTS, part_fields=PART_FIELDS, field_labels=FIELD_LABELS,
        shown=_shown(row), entered=_entered(row), item_labels=ITEM_LABELS,
        editable=plan.status == Status.EXECUTING and policy.holds(user, plan, Role.ENTERPRISE),
        channels=CHANNELS, agreement_kinds=AGREEMENT_KINDS, outcome_kinds={k: OUTCOME_KINDS[k] for k in OUTCOMES_BY_CHANNEL.get(channel, ())},
        outcome_fields=OUTCOME_FIELDS, outcome_field_labels=OUTCOME_FIELD_LABELS, date_fields=DATE_FIELDS | DATE_COLUMNS,
        amount_fields=AMOUNT_FIELDS, part=part, typed=typed or {}, errors=errors or {}, refusal=refusal,
        mode=mode, current=_current(row), history=history(db.session, plan, row.worker.id),
    )  # fmt: skip
