"""The worker congress vote (domain.md §5): body type, quorum, passing, consistency."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from approvals.i18n import N_, Text
from approvals.rules.issues import Finding

WORKERS_CONGRESS = "workers_congress"  # 职工代表大会
GENERAL_ASSEMBLY = "general_assembly"  # 职工大会
BODY_TYPES = {WORKERS_CONGRESS: N_("职工代表大会"), GENERAL_ASSEMBLY: N_("职工大会")}
# Enterprises with at least this many workers must hold a 职工代表大会 (configurable).
CONGRESS_HEADCOUNT_THRESHOLD = 100
# Quorum: present at least this share of all members. Passing: yes votes MORE than this share of
# ALL members (not of those present). Exact fractions: the web form shows them live from these.
# The plan reaches the representatives at least this many (calendar) days before the session
# (上海市职工代表大会条例 Art 30; domain-research.md §A.4): the latest day to send it, for a session
# held by the vote deadline, is shown to the union.
MATERIALS_NOTICE_DAYS = 7
QUORUM_SHARE = Fraction(2, 3)
# The most people any count may state (an enterprise's headcount, a vote's members): far above the
# workforce of any enterprise, and well within the INTEGER columns that store the counts.
MAX_PEOPLE = 1_000_000
PASSING_SHARE = Fraction(1, 2)

VoteResult = Literal["passed", "rejected", "invalid"]


@dataclass(frozen=True)
class VoteCounts:
    body_type: str
    total_members: int
    present: int
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class VoteOutcome:
    quorum_met: bool
    passed: bool

    @property
    def result(self) -> VoteResult:
        if not self.quorum_met:
            return "invalid"
        return "passed" if self.passed else "rejected"


def members_label(body_type: str) -> str:
    """ "全体职工代表" for a congress, "全体职工" for an assembly."""
    return N_("全体职工") if body_type == GENERAL_ASSEMBLY else N_("全体职工代表")


def vote_problems(counts: VoteCounts, headcount: int, threshold: int = CONGRESS_HEADCOUNT_THRESHOLD) -> list[Finding]:
    """Every inconsistency in the counts and the body type, each naming its field."""
    found: list[Finding] = []
    if counts.body_type not in BODY_TYPES:
        found.append(Finding("congress_vote", "body_type", "known_body_type",
                             Text(N_("会议类型须为职工代表大会或职工大会。"))))  # fmt: skip
    elif counts.body_type == GENERAL_ASSEMBLY and headcount >= threshold:
        found.append(Finding("congress_vote", "body_type", "congress_required",
                             Text(N_("企业职工%(headcount)s人，达到%(threshold)s人的须召开职工代表大会，不得以职工大会代替。"),
                                  headcount=headcount, threshold=threshold)))  # fmt: skip
    for field in ("total_members", "present", "yes", "no", "abstain"):
        if getattr(counts, field) < 0:
            found.append(Finding("congress_vote", field, "non_negative", Text(N_("人数不得为负数。"))))
        elif getattr(counts, field) > MAX_PEOPLE:
            found.append(Finding("congress_vote", field, "at_most",
                                 Text(N_("人数不得超过%(maximum)s。"), maximum=MAX_PEOPLE)))  # fmt: skip
    label = members_label(counts.body_type)
    if headcount < counts.total_members <= MAX_PEOPLE:
        found.append(Finding("congress_vote", "total_members", "within_headcount",
                             Text(N_("%(members)s人数（%(total)s）不得多于企业在册职工人数（%(headcount)s）。"),
                                  members=Text(label), total=counts.total_members, headcount=headcount)))  # fmt: skip
    if counts.total_members < 1:
        found.append(Finding("congress_vote", "total_members", "positive",
                             Text(N_("%(members)s人数须大于0。"), members=Text(label))))  # fmt: skip
    if counts.present > counts.total_members:
        found.append(Finding("congress_vote", "present", "present_not_above_total",
                             Text(N_("到会人数（%(present)s）不得多于%(members)s人数（%(total)s）。"),
                                  present=counts.present, members=Text(label), total=counts.total_members)))  # fmt: skip
    cast = counts.yes + counts.no + counts.abstain
    if cast > counts.present:
        found.append(Finding("congress_vote", "yes", "votes_not_above_present",
                             Text(N_("赞成、反对、弃权合计（%(cast)s）不得多于到会人数（%(present)s）。"),
                                  cast=cast, present=counts.present)))  # fmt: skip
    return found


def quorum_needed(total_members: int) -> int:
    """The fewest present for a valid session: at least two thirds of all members."""
    return math.ceil(QUORUM_SHARE * total_members)


def majority_needed(total_members: int) -> int:
    """The fewest yes votes that pass: more than half of ALL members (not of those present)."""
    return math.floor(PASSING_SHARE * total_members) + 1


def evaluate_vote(counts: VoteCounts) -> VoteOutcome:
    """Quorum: present ≥ 2/3 of all members. Passed: yes > 1/2 of ALL members."""
    quorum = counts.present >= quorum_needed(counts.total_members)
    return VoteOutcome(quorum_met=quorum, passed=quorum and counts.yes >= majority_needed(counts.total_members))
