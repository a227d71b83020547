"""The records of each decision: the congress vote record, the bureau's review opinion and the
working-group record. Each function gets one row and returns its document's template context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.facts import (
    bureau_name,
    cn_date,
    cn_time,
    opinion_number,
    passing_vote,
    percent,
    plan_ref,
    revision_of,
    revision_ref,
    rows_of,
    text,
    user_name,
    yuan,
)
from approvals.models import (
    AuditEvent,
    BureauReview,
    CongressVote,
    Plan,
    RosterVerification,
    WorkingGroup,
    WorkingGroupRecord,
)
from approvals.process import ReviewDecision
from approvals.rules.congress import (
    BODY_TYPES,
    RESULT_LABELS,
    VOTING_METHODS,
    majority_needed,
    members_label,
    quorum_needed,
)
from approvals.rules.content import as_dict
from approvals.rules.funding import funding_status
from approvals.services.congress import stored_outcome
from approvals.services.congress_documents import KINDS, documents_of_vote
from approvals.services.return_reasons import SOURCE_LABELS, answered_in, reasons_of_returns, source_of
from approvals.services.verification import METHODS
from approvals.services.working_group import DECISIONS

REVIEW_DECISIONS = {ReviewDecision.APPROVE: "同意", ReviewDecision.RETURN: "退回修改"}


def congress_vote(session: Session, plan: Plan, vote: CongressVote) -> dict[str, Any]:
    """表决结果记录: the counts, the two thresholds, the result and the revision voted on."""
    members = members_label(vote.body_type)
    cast = vote.yes + vote.no + vote.abstain
    return {
        "plan": plan_ref(session, plan, vote.content_hash),
        "body": BODY_TYPES.get(vote.body_type, vote.body_type),
        "members_label": members,
        "held_on": cn_date(vote.held_on),
        "explanation": text(vote.explanation) if vote.explanation else "",
        "revision": revision_ref(session, plan, vote.content_hash),
        "total": vote.total_members,
        "present": vote.present,
        "absent": vote.total_members - vote.present,
        "present_share": percent(vote.present, vote.total_members),
        "quorum_needed": quorum_needed(vote.total_members),
        "quorum_met": vote.quorum_met,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "not_cast": vote.present - cast,
        "yes_share": percent(vote.yes, vote.total_members),
        "majority_needed": majority_needed(vote.total_members),
        "result": RESULT_LABELS[stored_outcome(vote).reason],
        "recorded_by": user_name(session, vote.recorded_by_id),
        "recorded_at": cn_time(vote.recorded_at),
        "method": VOTING_METHODS[vote.secret_ballot],
        "method_sentence": method_sentence(vote),
        "ballots": ballots_line(vote),
        "chair": text(vote.chair) if vote.chair else "未记录",
        "scrutineers": "、".join(text(name) for name in vote.scrutineers) if vote.scrutineers else "未记录",
        # (label, value) rows: each document recorded with the vote, its name, size and SHA-256
        "documents": [
            (f"{KINDS[d.kind]}（PDF）", f"{text(d.filename)}，{d.size:,}字节，SHA-256：{d.sha256}")
            for d in documents_of_vote(session, vote)
        ]
        or [("会议材料", "未记录")],
    }


def ballots_line(vote: CongressVote) -> str:
    """The ballots as the record gives them, or that they were not recorded."""
    if vote.ballots_issued is None or vote.ballots_returned is None or vote.ballots_valid is None:
        return "未记录"
    return (f"发出{vote.ballots_issued}张，收回{vote.ballots_returned}张，其中有效票{vote.ballots_valid}张、"
            f"无效票{vote.ballots_returned - vote.ballots_valid}张")  # fmt: skip


def method_sentence(vote: CongressVote) -> str:
    """How the vote was taken, from the record (never a fixed sentence): the method, the ballots, the
    chair and the scrutineers; an open vote says it is void (企业民主管理规定 Art 20 ¶2)."""
    if vote.secret_ballot is None:
        return "本记录录入时未记载表决方式、表决票数、会议主持人和监票人。"
    people = f"会议主持人：{text(vote.chair or '')}；监票人（计票人）：{'、'.join(text(n) for n in vote.scrutineers or [])}。"
    if vote.secret_ballot:
        return (f"本次会议采用无记名投票方式表决，{ballots_line(vote)}；赞成{vote.yes}票，反对{vote.no}票，"
                f"弃权{vote.abstain}票。{people}")  # fmt: skip
    return (f"本次会议未采用无记名投票方式表决（{ballots_line(vote)}；赞成{vote.yes}票，反对{vote.no}票，"
            f"弃权{vote.abstain}票）。职工安置方案属重要事项，应当采用无记名投票方式表决（《企业民主管理规定》"
            f"第二十条），本次表决无效，须重新表决。{people}")  # fmt: skip


def review_opinion(session: Session, plan: Plan, review: BureauReview) -> dict[str, Any]:
    """审核意见书: the decision and reasons, with what the reviewer had before them (vote, funds, checks)."""
    revision = revision_of(session, plan, review.content_hash)
    funding = funding_status(as_dict((revision.content if revision else plan.content).get("funding")))
    vote = passing_vote(session, plan, review.content_hash)
    checks = [v for v in rows_of(session, RosterVerification, plan) if v.recorded_at <= review.reviewed_at]
    # A return lists its reasons numbered, as the clerk answers them (return_reason); an older return without
    # rows keeps its stored text. A review of a resubmitted revision lists the reasons that revision answered.
    returned = [text(r.text) for r in reasons_of_returns(session, plan).get(("bureau", review.id), [])]
    if review.decision == ReviewDecision.RETURN and not returned and review.reasons:
        returned = [text(review.reasons)]
    earlier = answered_in(session, plan, revision.number) if revision is not None and revision.number > 1 else []
    return {
        "plan": plan_ref(session, plan, review.content_hash),
        "doc_number": opinion_number(session, review),
        "issuer": bureau_name(session, review, plan),
        "revision": revision_ref(session, plan, review.content_hash),
        "submitted_on": cn_date(revision.submitted_at) if revision else "—",
        "approved": review.decision == ReviewDecision.APPROVE,
        "decision": REVIEW_DECISIONS.get(review.decision, review.decision),
        "reasons": text(review.reasons) if review.reasons and review.decision != ReviewDecision.RETURN else "",
        "returned": returned,
        "earlier": [{"reason": text(r.text), "answer": text(r.answer), "source": SOURCE_LABELS[source_of(r)]}
                    for r in earlier],
        "vote": (f"{cn_date(vote.held_on)}{BODY_TYPES.get(vote.body_type, vote.body_type)}表决通过"
                 f"（赞成{vote.yes}人，占{members_label(vote.body_type)}{percent(vote.yes, vote.total_members)}）"
                 if vote else "本版本未经表决通过"),
        "funding": (f"所需{yuan(funding.required)}元，已落实{yuan(funding.secured)}元"
                    + (f"（另有{yuan(funding.uncounted)}元的来源缺少证明材料，不计入）" if funding.uncounted else "")
                    + ("，资金保障到位" if funding.is_secured else f"，缺口{yuan(funding.gap)}元")),
        "verifications": [f"{METHODS.get(v.method, v.method)}：{text(v.sample)}；{text(v.result)}"
                          f"（核查{len(v.workers_checked)}人，{cn_date(v.recorded_at)}）" for v in checks],
        "reviewer": user_name(session, review.reviewer_id),
        "date": cn_date(review.reviewed_at),
    }  # fmt: skip


def working_group(session: Session, plan: Plan, record: WorkingGroupRecord) -> dict[str, Any]:
    """联合工作组工作记录: members, contact point, findings and the decision with its time."""
    group = session.get(WorkingGroup, record.working_group_id)
    decided = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.plan_id == plan.id, AuditEvent.action == "working_group.decided",
               AuditEvent.occurred_at >= record.recorded_at)
        .order_by(AuditEvent.seq)
        .limit(1)
    ).first() if record.decision else None  # fmt: skip
    return {
        "plan": plan_ref(session, plan, record.content_hash),
        "group": group.name if group else "联合工作组",
        "revision": revision_ref(session, plan, record.content_hash),
        "formed_at": cn_time(record.recorded_at),
        "members": [{"name": text(m.get("name")), "department": text(m.get("department")),
                     "organisation": text(m.get("organisation"))} for m in record.members or []],
        "contact_point": text(record.contact_point),
        "findings": text(record.findings) if record.findings else "",
        "decision": DECISIONS.get(record.decision or "", "尚未作出结论"),
        "decided_at": cn_time(decided.occurred_at) if decided else "",
        "recorded_by": user_name(session, record.recorded_by_id),
    }  # fmt: skip
