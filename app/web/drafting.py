"""Drafting a plan: one form per section, saved through the plan update service; then submitting.

Saving a section is `services.plans.update_plan` (one transaction with its audit event), with the
plan version the clerk saw: a concurrent change is refused and the clerk's input is kept.
Submitting is `services.submission.submit_plan` (the draft_plan task): an incomplete plan goes
back to drafting with every missing item listed beside its field.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import Field, FieldList, FormField

from app.extensions import db, deadline_periods, get_engine
from app.web import bp
from app.web.drafting_group import advice_panel
from app.web.evidence_panel import UploadRefused, evidence_panel
from app.web.form_fields import Problem, attach_details, attach_findings, resolve
from app.web.i18n import label_of, say
from app.web.plan_sections import (
    COMPUTED_FUNDS,
    SECTION_FORMS,
    SECTION_HELP,
    FundingForm,
    SectionForm,
    form_data,
    kept_origins,
    merge,
    row_template,
)
from app.web.session import web_actor, web_user
from app.web.tasks import task_form
from approvals import policy
from approvals.errors import Conflict, Invalid
from approvals.i18n import N_
from approvals.models import INDUSTRIES, Plan, Region, Role
from approvals.process import Status, Task
from approvals.rules.content import CHANNELS, FUNDING_ITEMS, SECTIONS, as_dict
from approvals.rules.funding import funding_status
from approvals.rules.issues import Finding
from approvals.rules.register import SOURCE as REGISTER_SOURCE
from approvals.rules.roster import RosterSummary
from approvals.services import plans as plan_service
from approvals.services.gate import plan_missing_items
from approvals.services.return_reasons import SOURCE_LABELS, open_reasons, source_of
from approvals.services.submission import Submission, submit_plan
from approvals.services.workflow import STATUS_LABELS

CONTINUE = "continue"  # the name of the second save button, which goes on to the next section


def enterprise_plan(plan_id: int, action: str, *, for_update: bool = False) -> Plan:
    """The plan (404 if the user may not see it), for one of its enterprise clerks (403 otherwise)."""
    user = web_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=for_update)
    policy.require_role(user, plan, Role.ENTERPRISE, action)
    return plan


@bp.route("/plans/<int:plan_id>/draft", methods=["GET", "POST"])
@task_form(Task.DRAFT_PLAN)
def draft_plan(plan_id: int):
    section = request.args.get("section", "profile")
    if section not in SECTION_FORMS:
        abort(404)
    posted = request.method == "POST"
    plan = enterprise_plan(plan_id, N_("起草方案"), for_update=posted)
    if not posted:
        return render_draft(plan, section)
    form = SECTION_FORMS[section]()
    if not form.validate():
        return _render(plan, section, form, [], show_findings=False), 422
    version = form.version.data or ""
    try:
        plan_service.update_plan(
            db.session, actor=web_actor(), plan=plan, title=form.title.data if "title" in form._fields else None,
            sections={section: merge(form, plan.content.get(section))},
            expected_version=int(version) if version.isdigit() else None,
            source_origins=kept_origins(form.sources) if isinstance(form, FundingForm) else None,
        )  # fmt: skip
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        problems = attach_details(form, exc, lambda path: _section_field(form, section, path))
        if exc.code == "stale_version":
            # Keep what the clerk typed; saving again now replaces this section of the newer version.
            form.version.data = str(plan.version)
            problems.append(
                Problem("stale_version", _("您的输入仍保留在下方；确认无误后再次保存，将以您的输入替换该部分。"))
            )
        return _render(plan, section, form, problems, show_findings=False), exc.status
    db.session.commit()
    flash(_("已保存“%(section)s”。", section=_(SECTIONS[section])), "success")
    if CONTINUE in request.form:  # "保存并继续下一部分": on to the next section, after the last to the overview
        following = next_section(section)
        if following is None:
            return redirect(url_for("web.plan", plan_id=plan.id))
        return redirect(url_for("web.draft_plan", plan_id=plan.id, section=following))
    return redirect(url_for("web.draft_plan", plan_id=plan.id, section=section))


def next_section(section: str) -> str | None:
    """The section after `section` in the drafting order, None after the last."""
    order = list(SECTION_FORMS)
    position = order.index(section) + 1
    return order[position] if position < len(order) else None


def _section_field(form: SectionForm, section: str, path: str) -> Field | None:
    """The input a refusal names by its path in the plan ("workforce.on_roll"); a row or list of rows
    is not one (its message stays above the form)."""
    field = resolve(form, path.removeprefix(f"{section}."))
    return None if isinstance(field, FormField | FieldList) else field


@bp.post("/plans/<int:plan_id>/submit")
def submit_draft(plan_id: int):
    plan = enterprise_plan(plan_id, N_("提交方案"), for_update=True)
    if open_reasons(db.session, plan):  # a returned plan: each reason is answered on its own page
        flash(_("方案曾被退回，请先逐条答复退回理由，再重新提交。"), "warning")
        return redirect(url_for("web.resubmit", plan_id=plan_id))
    try:
        result = submit_plan(db.session, get_engine(), actor=web_actor(), plan=plan,
                             periods=deadline_periods())  # fmt: skip
    except Conflict as exc:
        db.session.rollback()
        flash(say(exc.message), "danger")
        return redirect(url_for("web.draft_plan", plan_id=plan_id))
    # An incomplete submission is a step of the process too (back to drafting, kept in the trail).
    db.session.commit()
    return submitted(plan, result) if result.accepted else submitted_incomplete(plan, result)


def submitted_incomplete(plan: Plan, result: Submission) -> Response:
    """Back to drafting: the missing items, from the first section that has one."""
    flash(_("方案不完整，未能提交：共缺%(count)s项，已逐项列在下方和各部分的字段旁，请补充后重新提交。",
            count=len(result.missing)), "danger")  # fmt: skip
    return redirect(url_for("web.draft_plan", plan_id=plan.id, section=_first_section(result.missing)))


def submitted(plan: Plan, result: Submission) -> Response:
    """On to the plan page, saying what comes next."""
    if result.vote_skipped:
        flash(_("方案已提交。本版本已经职工代表大会表决通过，直接报人社部门审核。"), "success")
    else:
        flash(_("方案已提交（第%(n)s版），等待工会录入职工代表大会表决结果。", n=plan.revision_number), "success")
    return redirect(url_for("web.plan", plan_id=plan.id))


def _first_section(missing: list[Finding]) -> str:
    for finding in missing:
        if finding.section in SECTION_FORMS:
            return finding.section
    return "profile"


def stored_form(plan: Plan, section: str) -> SectionForm:
    """The section's form filled from the plan as stored, with one blank row in each empty list."""
    form_class = SECTION_FORMS[section]
    form = form_class(formdata=None, data=form_data(form_class(formdata=None), plan.content.get(section)))
    form.version.data = str(plan.version)
    if "title" in form._fields:
        form.title.data = plan.title
    for rows in (f for f in form if isinstance(f, FieldList) and not f.entries):
        rows.append_entry()  # one blank row to start from
    return form


def render_draft(plan: Plan, section: str, refused: UploadRefused | None = None) -> str:
    """A section as stored, with its completeness findings (and an evidence upload the service refused)."""
    return _render(plan, section, stored_form(plan, section), [], show_findings=True, refused=refused)


def _render(plan: Plan, section: str, form: SectionForm, problems: list[Problem], *, show_findings: bool,
            refused: UploadRefused | None = None) -> str:  # fmt: skip
    missing = plan_missing_items(plan)
    mine = [f for f in missing if f.section == section]
    by_field, unplaced = attach_findings(form, mine) if show_findings else ({}, [])
    if section == "funding":  # the computed amounts have no input of the form: their findings go beside them
        beside = {f"required.{key}" for key in COMPUTED_FUNDS}
        for finding in [f for f in unplaced if f.field in beside]:
            by_field.setdefault(finding.field.replace(".", "-"), []).append(finding)
        unplaced = [f for f in unplaced if f.field not in beside]
    roster = RosterSummary.from_json(plan.roster_summary)
    return render_template(
        "web/forms/draft.html", plan=plan, section=section, form=form, problems=problems,
        findings=by_field, unplaced=unplaced, missing=missing, counts=Counter(f.section for f in missing),
        sections=[(key, SECTIONS[key]) for key in SECTION_FORMS], section_help=SECTION_HELP.get(section),
        editable=plan.status == Status.DRAFTING, status_labels=STATUS_LABELS, roster=roster,
        extras=_extras(plan, section, form, roster, refused), section_labels=SECTIONS,
        panel=_group_panel(plan), next_section=next_section(section), continue_name=CONTINUE,
        pending=not show_findings,  # a refused save: what the form shows is not saved yet
        reasons=open_reasons(db.session, plan), source_labels=SOURCE_LABELS, source_of=source_of,
    )  # fmt: skip


def _group_panel(plan: Plan) -> dict[str, Any] | None:
    """The working group's part in drafting, for a firm known to be high-risk or a group already advising."""
    panel = advice_panel(plan)
    return panel if panel["signs"] or panel["records"] else None


def _extras(
    plan: Plan, section: str, form: SectionForm, roster: RosterSummary | None, refused: UploadRefused | None
) -> dict[str, Any]:
    """What a section shows beside its fields: registry data, roster counts, computed costs."""
    content = plan.content
    if section == "profile":
        registry = as_dict(content.get("profile"))
        region = db.session.get(Region, str(registry.get("region_code") or ""))
        return {"registry": registry, "industry": label_of(INDUSTRIES, registry.get("industry")),
                "region": region.name if region else registry.get("region_code"), "zombie": plan.enterprise.zombie,
                "register_source": REGISTER_SOURCE}  # fmt: skip
    if section == "channels":
        return {"by_channel": roster.by_channel if roster else {}, "channel_labels": CHANNELS,
                "in_scope": as_dict(content.get("workforce")).get("in_scope")}  # fmt: skip
    if section == "funding":
        required = as_dict(as_dict(content.get("funding")).get("required"))
        status = funding_status(content.get("funding"))
        panel = evidence_panel(plan, refused)
        return {"computed": [(k, FUNDING_ITEMS[k], required.get(k)) for k in COMPUTED_FUNDS], "status": status,
                "unevidenced": status.unevidenced_numbers, "source_row": row_template(form.sources),
                "evidence": panel, "files_of": {s.number: len(s.files) for s in panel}}  # fmt: skip
    if section == "timetable":
        return {"step_row": row_template(form.items)}
    if section == "severance" and roster:
        return {"severance_total": roster.severance_total, "leavers": roster.leavers,
                "medical_subsidy_total": roster.medical_subsidy_total}  # fmt: skip
    return {}
