"""The official documents of a plan (PDF) and its funding evidence files for everyone who may see the plan,
and its case file for those who may see the workers' personal data.

The list comes from `app.documents.context.available`; each download is the API's own response
(`app.downloads`) after the same `get_plan`, so the web and the API render, name and guard them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import downloads
from app.documents.context import Available, available
from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.evidence_panel import source_files
from app.web.session import web_user
from app.web.working_group import DECISION_LABELS
from approvals import policy
from approvals.models import BureauReview, CongressVote, Plan, WorkingGroupRecord
from approvals.process import ReviewDecision
from approvals.rules.congress import RESULT_LABELS
from approvals.services.congress import stored_outcome
from approvals.services.plans import get_plan
from approvals.services.workflow import STATUS_LABELS

REVIEW_LABELS = {ReviewDecision.APPROVE: _l("审核同意"), ReviewDecision.RETURN: _l("退回修改")}


@dataclass(frozen=True)
class Entry:
    """One document of a kind: its number (the ?n= of its link), when its record was made, what it says."""

    number: int
    at: date | datetime | None
    note: str


def _entry(number: int, record: Any) -> Entry:
    if isinstance(record, CongressVote):
        return Entry(number, record.held_on, _(RESULT_LABELS[stored_outcome(record).reason]))
    if isinstance(record, BureauReview):
        return Entry(number, record.reviewed_at, str(REVIEW_LABELS.get(record.decision, record.decision)))
    if isinstance(record, WorkingGroupRecord):
        decision = DECISION_LABELS.get(record.decision or "")
        return Entry(number, record.recorded_at, str(decision) if decision else _("工作组已组建，尚未提出意见"))
    assert isinstance(record, Plan)
    return Entry(number, record.published_at, _("已公布"))


def _entries(kind: Available) -> list[Entry]:
    return [_entry(n, record) for n, record in enumerate(kind.records, start=1)][::-1]  # the latest first


@bp.get("/plans/<int:plan_id>/documents")
def plan_documents(plan_id: int):
    user = web_user()
    plan = get_plan(db.session, user, plan_id)
    kinds = [(kind, _entries(kind)) for kind in available(db.session, plan)]
    return render_template("web/documents.html", plan=plan, kinds=kinds, status_labels=STATUS_LABELS,
                           evidence=source_files(plan), sees_personal_data=policy.sees_personal_data(user, plan))  # fmt: skip


@bp.get("/plans/<int:plan_id>/documents/<kind>.pdf")
def plan_document_pdf(plan_id: int, kind: str):
    plan = get_plan(db.session, web_user(), plan_id)
    return downloads.plan_document(plan, kind, query_int("n", None))


@bp.get("/plans/<int:plan_id>/case-file.zip")
def plan_case_file(plan_id: int):
    user = web_user()
    return downloads.case_file(user, get_plan(db.session, user, plan_id))
