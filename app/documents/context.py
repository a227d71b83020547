"""What each document says: its template and context, gathered from the plan's records.

A document exists once the record behind it does: the published plan (公布文本) once the plan is
published, the vote record (表决结果记录) once a congress vote is recorded, the review opinion
(审核意见书) once the bureau has reviewed, the working-group record once the group was formed.
Asking earlier is a 409 naming what is missing; votes, reviews and group records are numbered
from 1 in the order they were made (the latest when no number is given).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from app.documents import records
from app.documents.facts import pick, rows_of
from app.documents.plan_text import published_plan
from approvals.errors import Conflict, NotFound
from approvals.i18n import N_, Listing, Text
from approvals.models import BureauReview, CongressVote, Plan, WorkingGroupRecord


@dataclass(frozen=True)
class Kind:
    key: str  # as in the URL: /documents/<key>.pdf
    label: str
    template: str


KINDS = {
    kind.key: kind
    for kind in (
        Kind("published-plan", N_("职工安置方案（公布文本）"), "published_plan.html"),
        Kind("congress-vote", N_("职工代表大会表决结果记录"), "congress_vote.html"),
        Kind("review-opinion", N_("审核意见书"), "review_opinion.html"),
        Kind("working-group", N_("联合工作组工作记录"), "working_group.html"),
    )
}
# The record behind each numbered document and the function that turns one into its context.
RECORDS: dict[str, tuple[Any, Callable[[Session, Plan, Any], dict[str, Any]]]] = {
    "congress-vote": (CongressVote, records.congress_vote),
    "review-opinion": (BureauReview, records.review_opinion),
    "working-group": (WorkingGroupRecord, records.working_group),
}


@dataclass(frozen=True)
class Document:
    kind: Kind
    number: int  # which vote, review or group record (1-based); 1 for the published plan
    plan_id: int
    record_id: int  # the vote, review or group record's id; the plan's for the published plan
    gather: Callable[[], dict[str, Any]]  # the template's context
    # What a stored rendering is found by (app/documents/store.py), when cheaper than the context: the
    # context with what follows from immutable stored bytes named by their digest. Default: the context.
    gather_facts: Callable[[], dict[str, Any]] | None = None

    @cached_property
    def context(self) -> dict[str, Any]:
        return self.gather()

    @cached_property
    def facts(self) -> dict[str, Any]:
        return self.gather_facts() if self.gather_facts else self.context

    @property
    def filename(self) -> str:
        suffix = "" if self.kind.key == "published-plan" else f"-{self.number}"
        return f"plan-{self.plan_id}-{self.kind.key}{suffix}.pdf"

    @property
    def title(self) -> str:
        return f"{self.facts['plan']['title']}·{self.kind.label}"


def _published_plan(session: Session, plan: Plan) -> Document:
    return Document(KINDS["published-plan"], 1, plan.id, plan.id, lambda: published_plan(session, plan),
                    lambda: published_plan(session, plan, roster=False))  # fmt: skip


def _record(session: Session, plan: Plan, kind: str, n: int, row: Any) -> Document:
    gather = RECORDS[kind][1]
    context = {**gather(session, plan, row), "number": n}
    return Document(KINDS[kind], n, plan.id, row.id, lambda: context)


def _published(plan: Plan) -> bool:
    return plan.published_at is not None and plan.published_hash is not None


def _not_yet(plan: Plan, kind: str) -> Conflict:
    message = {
        "published-plan": N_("方案尚未公布，还没有公布文本。"),
        "congress-vote": N_("方案尚未经职工代表大会（职工大会）表决，还没有表决结果记录。"),
        "review-opinion": N_("方案尚未经人社部门审核，还没有审核意见书。"),
        "working-group": N_("联合工作组尚未组建，还没有工作记录。") if plan.working_group_id
        else N_("本方案未交联合工作组办理（仅高风险企业的方案由联合工作组介入），没有联合工作组工作记录。"),
    }[kind]  # fmt: skip
    return Conflict("document_not_ready", message, {"status": plan.status})


def document(session: Session, plan: Plan, kind: str, number: int | None = None) -> Document:
    """One document of the plan, ready to render; 404 for an unknown kind or number, 409 when not yet."""
    found = KINDS.get(kind)
    if found is None:
        names = Listing(
            [Text(N_("%(label)s（%(key)s）"), label=Text(k.label), key=k.key) for k in KINDS.values()], N_("、")
        )
        raise NotFound("document_not_found", Text(N_("没有“%(kind)s”这种文书。可下载的文书：%(names)s。"), kind=kind,
                                                  names=names),
                       {"kinds": list(KINDS)})  # fmt: skip
    if found.key == "published-plan":
        if not _published(plan):
            raise _not_yet(plan, found.key)
        if number not in (None, 1):
            raise NotFound("document_not_found", Text(N_("公布文本只有一份，没有第%(number)s份。"), number=number))
        return _published_plan(session, plan)
    rows = rows_of(session, RECORDS[found.key][0], plan)
    if not rows:
        raise _not_yet(plan, found.key)
    n, row = pick(rows, number, found.label)
    return _record(session, plan, found.key, n, row)


@dataclass(frozen=True)
class Available:
    """The documents of one kind a plan has, or why it has none yet (what `document` would answer)."""

    kind: Kind
    records: list[Any]  # the vote, review or group rows, numbered from 1 in this order; [plan] once published
    missing: str | None


def available(session: Session, plan: Plan) -> list[Available]:
    """Which documents exist, kind by kind in the order the process makes them, without rendering any."""
    found = []
    for key in ("congress-vote", "review-opinion", "working-group", "published-plan"):
        if key == "published-plan":
            records: list[Any] = [plan] if _published(plan) else []
        else:
            records = rows_of(session, RECORDS[key][0], plan)
        found.append(Available(KINDS[key], records, None if records else _not_yet(plan, key).message))
    return found


def documents_of(session: Session, plan: Plan) -> list[Document]:
    """Every document the plan has so far: each vote, review and group record, and the published plan."""
    found = []
    for kind, (model, _) in RECORDS.items():
        for n, row in enumerate(rows_of(session, model, plan), start=1):
            found.append(_record(session, plan, kind, n, row))
    if _published(plan):
        found.append(_published_plan(session, plan))
    return found
