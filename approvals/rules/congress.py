"""The worker congress vote (domain.md §5): body type, quorum, passing, consistency."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from approvals.i18n import N_, Listing, Text
from approvals.process import VoteResult
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
# The usual size of a 职工代表大会 (企业民主管理规定, the national rule summarised in domain-research.md
# §A.3, its article number Art 23/25 unverified; corroborated by 上海市职工代表大会条例 Art 21): at least 30 representatives and at least 5 % of the
# workers. A smaller congress is not refused (the enterprise may have fewer workers than that, and
# the number is agreed with the union), but it needs a written explanation kept with the vote.
MIN_REPRESENTATIVES = 30
MIN_REPRESENTATIVE_SHARE = Fraction(5, 100)
# The most characters of that explanation (a Text column; the form and the API bound it too).
EXPLANATION_MAX_CHARS = 2000


@dataclass(frozen=True)
class VoteCounts:
    body_type: str
    total_members: int
    present: int
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class BallotRecord:
    """How the vote was taken: the ballots, the method, who chaired and who scrutinised (domain.md §5, §8;
    the fields of the minutes in practice, domain-research.md §A.8)."""

    ballots_issued: int
    ballots_returned: int
    ballots_valid: int
    secret_ballot: bool
    chair: str
    scrutineers: tuple[str, ...]


# The method as documents and pages name it, by BallotRecord.secret_ballot (None: a vote recorded before
# the method was asked for).
VOTING_METHODS = {True: N_("无记名投票"), False: N_("非无记名投票（如举手表决）"), None: N_("未记录")}
# The most characters of a person's name (chair, scrutineer) and the most scrutineers named: bounds on
# what is stored, far above any real minute.
NAME_MAX_CHARS = 50
MAX_SCRUTINEERS = 20
# Names in one box may be separated by a new line, a comma or the enumeration comma "、".
_NAME_SEPARATORS = re.compile(r"[\n\r,，、;；]+")


# What each rule says when broken (the catalogue's patterns, by rule): the findings below, and the
# vote form's live check (static/js/vote.js), which says the same in the same words.
MESSAGES = {
    "known_body_type": N_("会议类型须为职工代表大会或职工大会。"),
    "congress_required": N_("企业职工%(headcount)s人，达到%(threshold)s人的须召开职工代表大会，不得以职工大会代替。"),
    "people_non_negative": N_("人数不得为负数。"),
    "people_at_most": N_("人数不得超过%(maximum)s。"),
    "assembly_all_workers": N_(
        "职工大会由全体职工组成：全体职工人数（%(total)s）须等于企业在册职工人数（%(headcount)s）。"
    ),
    "within_headcount": N_("%(members)s人数（%(total)s）不得多于企业在册职工人数（%(headcount)s）。"),
    "positive": N_("%(members)s人数须大于0。"),
    "present_not_above_total": N_("到会人数（%(present)s）不得多于%(members)s人数（%(total)s）。"),
    "votes_not_above_present": N_("赞成、反对、弃权合计（%(cast)s）不得多于到会人数（%(present)s）。"),
    "explanation_required": N_(
        "职工代表（%(total)s人）少于%(minimum)s人或少于在册职工（%(headcount)s人）的%(share)s%%，须书面说明原因。"
    ),
    "explanation_at_most_chars": N_("说明不得超过%(maximum)s字。"),
    "not_in_future": N_("会议日期（%(held_on)s）不得晚于今天（%(today)s）。"),
    "not_before_submission": N_("会议日期（%(held_on)s）不得早于本版方案提交之日（%(submitted)s）。"),
    "ballots_non_negative": N_("票数不得为负数。"),
    "ballots_at_most": N_("票数不得超过%(maximum)s。"),
    "issued_not_above_present": N_("发出表决票（%(issued)s张）不得多于到会人数（%(present)s人）：每位到会者一张。"),
    "returned_not_above_issued": N_("收回表决票（%(returned)s张）不得多于发出表决票（%(issued)s张）。"),
    "valid_not_above_returned": N_("有效票（%(valid)s张）不得多于收回表决票（%(returned)s张）。"),
    "votes_equal_valid": N_("赞成、反对、弃权合计（%(cast)s票）须等于有效票（%(valid)s张）：每张有效票计为其中一项。"),
    "chair_required": N_("请填写会议主持人。"),
    "name_at_most_chars": N_("姓名不得超过%(maximum)s字。"),
    "scrutineer_name_required": N_("监票人（计票人）姓名不得为空。"),
    "scrutineers_required": N_("请填写至少一名监票人（计票人）。"),
    "scrutineers_at_most": N_("监票人（计票人）不得超过%(maximum)s名。"),
    "scrutineer_at_most_chars": N_("姓名不得超过%(maximum)s字：%(name)s…"),
    "scrutineers_distinct": N_("监票人（计票人）重复填写：%(names)s。"),
}


def split_names(text: str) -> tuple[str, ...]:
    """The names written in one box, in order, blanks dropped (they are separators, not names)."""
    return tuple(name.strip() for name in _NAME_SEPARATORS.split(text) if name.strip())


@dataclass(frozen=True)
class VoteOutcome:
    quorum_met: bool
    passed: bool
    # False for a show of hands or another open vote: the vote is void (民主管理规定 Art 20 ¶2). None for
    # a vote recorded before the method was recorded.
    secret_ballot: bool | None = True

    @property
    def result(self) -> VoteResult:
        if not self.quorum_met or self.secret_ballot is False:
            return VoteResult.INVALID
        return VoteResult.PASSED if self.passed else VoteResult.REJECTED

    @property
    def reason(self) -> str:
        """Why the result is what it is: the key of its label (RESULT_LABELS)."""
        if self.quorum_met and self.secret_ballot is False:
            return "open_vote"
        return self.result


# The words of a vote's outcome, by VoteOutcome.reason, wherever it is said (pages, documents, API, CLI,
# notifications): an open vote is invalid like a session without quorum, for its own reason.
RESULT_LABELS = {"passed": N_("表决通过"), "rejected": N_("未获通过"), "invalid": N_("到会人数不足三分之二，会议无效"),
                 "open_vote": N_("未采用无记名投票，表决无效")}  # fmt: skip


def members_label(body_type: str) -> str:
    """ "全体职工代表" for a congress, "全体职工" for an assembly."""
    return N_("全体职工") if body_type == GENERAL_ASSEMBLY else N_("全体职工代表")


def undersized(counts: VoteCounts, headcount: int) -> bool:
    """A 职工代表大会 below the usual size: fewer than 30 representatives or under 5 % of the workers
    (企业民主管理规定, domain-research.md §A.3; 上海市职工代表大会条例 Art 21). A 职工大会 is every worker, never undersized."""
    return counts.body_type == WORKERS_CONGRESS and (
        counts.total_members < MIN_REPRESENTATIVES or counts.total_members < MIN_REPRESENTATIVE_SHARE * headcount
    )


def vote_problems(
    counts: VoteCounts,
    headcount: int,
    threshold: int = CONGRESS_HEADCOUNT_THRESHOLD,
    explanation: str = "",
) -> list[Finding]:
    """Every inconsistency in the counts and the body type, each naming its field.

    `headcount` is the enterprise's registered number of workers on roll (Enterprise.headcount), not the
    plan's roster: the roster lists only the workers to be placed (domain.md §4.1), while a 职工大会 is
    all the enterprise's workers and a 职工代表大会 is elected from all of them (企业民主管理规定 Art 3,
    Art 24; domain.md §5 and §8). The same figure already decides which body must meet."""
    found: list[Finding] = []
    if counts.body_type not in BODY_TYPES:
        found.append(Finding("congress_vote", "body_type", "known_body_type",
                             Text(MESSAGES["known_body_type"])))  # fmt: skip
    elif counts.body_type == GENERAL_ASSEMBLY and headcount >= threshold:
        found.append(Finding("congress_vote", "body_type", "congress_required",
                             Text(MESSAGES["congress_required"],
                                  headcount=headcount, threshold=threshold)))  # fmt: skip
    for field in ("total_members", "present", "yes", "no", "abstain"):
        if getattr(counts, field) < 0:
            found.append(Finding("congress_vote", field, "non_negative", Text(MESSAGES["people_non_negative"])))
        elif getattr(counts, field) > MAX_PEOPLE:
            found.append(Finding("congress_vote", field, "at_most",
                                 Text(MESSAGES["people_at_most"], maximum=MAX_PEOPLE)))  # fmt: skip
    label = members_label(counts.body_type)
    if (
        counts.body_type == GENERAL_ASSEMBLY
        and headcount < threshold
        and 0 < counts.total_members <= MAX_PEOPLE
        and counts.total_members != headcount
    ):
        # 职工大会: every worker is a member (企业民主管理规定 Art 3; domain.md §8 Congress).
        found.append(Finding("congress_vote", "total_members", "assembly_all_workers",
                             Text(MESSAGES["assembly_all_workers"],
                                  total=counts.total_members, headcount=headcount)))  # fmt: skip
    elif headcount < counts.total_members <= MAX_PEOPLE:
        found.append(Finding("congress_vote", "total_members", "within_headcount",
                             Text(MESSAGES["within_headcount"],
                                  members=Text(label), total=counts.total_members, headcount=headcount)))  # fmt: skip
    if counts.total_members < 1:
        found.append(Finding("congress_vote", "total_members", "positive",
                             Text(MESSAGES["positive"], members=Text(label))))  # fmt: skip
    if counts.present > counts.total_members:
        found.append(Finding("congress_vote", "present", "present_not_above_total",
                             Text(MESSAGES["present_not_above_total"],
                                  present=counts.present, members=Text(label), total=counts.total_members)))  # fmt: skip
    cast = counts.yes + counts.no + counts.abstain
    if cast > counts.present:
        found.append(Finding("congress_vote", "yes", "votes_not_above_present",
                             Text(MESSAGES["votes_not_above_present"],
                                  cast=cast, present=counts.present)))  # fmt: skip
    if 0 < counts.total_members <= headcount and undersized(counts, headcount) and not explanation.strip():
        found.append(Finding("congress_vote", "explanation", "explanation_required",
                             Text(MESSAGES["explanation_required"],
                                  total=counts.total_members, minimum=MIN_REPRESENTATIVES, headcount=headcount,
                                  share=int(MIN_REPRESENTATIVE_SHARE * 100))))  # fmt: skip
    if len(explanation) > EXPLANATION_MAX_CHARS:
        found.append(Finding("congress_vote", "explanation", "at_most_chars",
                             Text(MESSAGES["explanation_at_most_chars"], maximum=EXPLANATION_MAX_CHARS)))  # fmt: skip
    return found


def held_on_problems(held_on: date, today: date, submitted_on: date | None) -> list[Finding]:
    """The session date: not after today (China time) and not before the day the revision voted on was
    submitted, since the congress deliberates the plan put to it (domain.md §8 Congress; 劳动合同法 Art 4
    ¶2: the plan is discussed by the congress before it is decided)."""
    if held_on > today:
        return [Finding("congress_vote", "held_on", "not_in_future",
                        Text(MESSAGES["not_in_future"],
                             held_on=held_on.isoformat(), today=today.isoformat()))]  # fmt: skip
    if submitted_on is not None and held_on < submitted_on:
        return [Finding("congress_vote", "held_on", "not_before_submission",
                        Text(MESSAGES["not_before_submission"],
                             held_on=held_on.isoformat(), submitted=submitted_on.isoformat()))]  # fmt: skip
    return []


def quorum_needed(total_members: int) -> int:
    """The fewest present for a valid session: at least two thirds of all members."""
    return math.ceil(QUORUM_SHARE * total_members)


def majority_needed(total_members: int) -> int:
    """The fewest yes votes that pass: more than half of ALL members (not of those present)."""
    return math.floor(PASSING_SHARE * total_members) + 1


def evaluate_vote(counts: VoteCounts, secret_ballot: bool = True) -> VoteOutcome:
    """Quorum: present ≥ 2/3 of all members. Passed: yes > 1/2 of ALL members, by secret ballot.

    A placement plan is an important matter, to be voted by secret ballot (无记名投票): 企业民主管理规定
    Art 20 ¶2 (domain-research.md §A.7, C.3; 浙江省企业民主管理条例 Art 15, 上海市职工代表大会条例 Art 31).
    An open vote (a show of hands) is recorded as it was held but decides nothing: like a session without
    quorum it is void and the congress must vote again; it is not a rejection of the plan."""
    quorum = counts.present >= quorum_needed(counts.total_members)
    passed = quorum and secret_ballot and counts.yes >= majority_needed(counts.total_members)
    return VoteOutcome(quorum_met=quorum, passed=passed, secret_ballot=secret_ballot)


def ballot_problems(counts: VoteCounts, record: BallotRecord) -> list[Finding]:
    """Every inconsistency in the ballots, the chair and the scrutineers, each naming its field.

    One ballot per member present, so issued ≤ present; a ballot not handed back is not counted, so
    returned ≤ issued; a returned ballot marked wrongly (blank, two choices) is void (作废), so valid ≤
    returned; and every valid ballot is exactly one of yes, no or abstain, so yes + no + abstain = valid
    (the minute "发出表决票N张，收回N张，其中有效票N张，赞成…反对…弃权…", domain-research.md §A.8).
    The chair presides (民主管理规定 Art 19: the presidium chairs) and the count is watched by scrutineers
    (监票人/计票人) named in the minutes (domain-research.md §A.8; domain.md §5): both are named."""
    found: list[Finding] = []
    for field in ("ballots_issued", "ballots_returned", "ballots_valid"):
        value = getattr(record, field)
        if value < 0:
            found.append(Finding("congress_vote", field, "non_negative", Text(MESSAGES["ballots_non_negative"])))
        elif value > MAX_PEOPLE:
            found.append(Finding("congress_vote", field, "at_most",
                                 Text(MESSAGES["ballots_at_most"], maximum=MAX_PEOPLE)))  # fmt: skip
    if record.ballots_issued > counts.present:
        found.append(Finding("congress_vote", "ballots_issued", "issued_not_above_present",
                             Text(MESSAGES["issued_not_above_present"],
                                  issued=record.ballots_issued, present=counts.present)))  # fmt: skip
    if record.ballots_returned > record.ballots_issued:
        found.append(Finding("congress_vote", "ballots_returned", "returned_not_above_issued",
                             Text(MESSAGES["returned_not_above_issued"],
                                  returned=record.ballots_returned, issued=record.ballots_issued)))  # fmt: skip
    if record.ballots_valid > record.ballots_returned:
        found.append(Finding("congress_vote", "ballots_valid", "valid_not_above_returned",
                             Text(MESSAGES["valid_not_above_returned"],
                                  valid=record.ballots_valid, returned=record.ballots_returned)))  # fmt: skip
    cast = counts.yes + counts.no + counts.abstain
    if cast != record.ballots_valid:
        found.append(Finding("congress_vote", "ballots_valid", "votes_equal_valid",
                             Text(MESSAGES["votes_equal_valid"],
                                  cast=cast, valid=record.ballots_valid)))  # fmt: skip
    if not record.chair.strip():
        found.append(Finding("congress_vote", "chair", "required", Text(MESSAGES["chair_required"])))
    elif len(record.chair.strip()) > NAME_MAX_CHARS:
        found.append(Finding("congress_vote", "chair", "at_most_chars",
                             Text(MESSAGES["name_at_most_chars"], maximum=NAME_MAX_CHARS)))  # fmt: skip
    if any(not name for name in record.scrutineers):
        found.append(Finding("congress_vote", "scrutineers", "name_required",
                             Text(MESSAGES["scrutineer_name_required"])))  # fmt: skip
    elif not record.scrutineers:
        found.append(Finding("congress_vote", "scrutineers", "required",
                             Text(MESSAGES["scrutineers_required"])))  # fmt: skip
    elif len(record.scrutineers) > MAX_SCRUTINEERS:
        found.append(Finding("congress_vote", "scrutineers", "at_most",
                             Text(MESSAGES["scrutineers_at_most"], maximum=MAX_SCRUTINEERS)))  # fmt: skip
    else:
        long = [name for name in record.scrutineers if len(name) > NAME_MAX_CHARS]
        if long:
            found.append(Finding("congress_vote", "scrutineers", "at_most_chars",
                                 Text(MESSAGES["scrutineer_at_most_chars"], maximum=NAME_MAX_CHARS,
                                      name=long[0][:NAME_MAX_CHARS])))  # fmt: skip
        twice = sorted({name for name in record.scrutineers if record.scrutineers.count(name) > 1})
        if twice:
            found.append(Finding("congress_vote", "scrutineers", "distinct",
                                 Text(MESSAGES["scrutineers_distinct"], names=Listing(twice, N_("、")))))  # fmt: skip
    return found
