"""The worker congress vote (domain.md §5): body type, quorum, passing and count consistency.

Pure rules: no application, no database.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.rules.congress import (
    BODY_TYPES,
    CONGRESS_HEADCOUNT_THRESHOLD,
    GENERAL_ASSEMBLY,
    MAX_PEOPLE,
    WORKERS_CONGRESS,
    VoteCounts,
    evaluate_vote,
    held_on_problems,
    members_label,
    undersized,
    vote_problems,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
PROPERTY = settings(max_examples=300, deadline=None, database=None)


def counts(
    total: int = 120,
    present: int = 100,
    yes: int = 61,
    no: int = 30,
    abstain: int = 9,
    body: str = WORKERS_CONGRESS,
) -> VoteCounts:
    return VoteCounts(body, total, present, yes, no, abstain)


def rules(found: list) -> list[tuple[str, str]]:
    return [(f.field, f.rule) for f in found]


# --- bounds: no more members than workers, and a hard ceiling on every count ---------------


def test_more_members_than_the_enterprise_has_workers_is_refused_naming_the_field():
    found = vote_problems(counts(total=121, present=100), 120)
    assert rules(found) == [("total_members", "within_headcount")]
    assert "120" in found[0].message
    assert "121" in found[0].message
    assert vote_problems(counts(total=120, present=100), 120) == []


@pytest.mark.parametrize("field", ["total_members", "present", "yes", "no", "abstain"])
@pytest.mark.parametrize("value", [MAX_PEOPLE + 1, 2**31, 2**63, 10**30])
def test_a_count_beyond_the_ceiling_is_refused_naming_the_field(field, value):
    values = {"total_members": 120, "present": 100, "yes": 61, "no": 30, "abstain": 9, field: value}
    found = vote_problems(VoteCounts(WORKERS_CONGRESS, **values), 1200)
    assert (field, "at_most") in rules(found)
    assert all(CJK.search(f.message) for f in found)


# --- membership: a 职工大会 is every worker; a small 职工代表大会 explains itself -----------------


def test_assembly_members_must_be_every_worker_on_roll():
    """企业民主管理规定 Art 3 (职工代表大会或职工大会) and domain.md §8: a 职工大会's members are all the
    enterprise's workers. 30 yes of a declared 50 in a firm of 80 no longer passes."""
    found = vote_problems(counts(total=50, present=40, yes=30, no=5, abstain=5, body=GENERAL_ASSEMBLY), 80)
    assert rules(found) == [("total_members", "assembly_all_workers")]
    assert "（50）" in found[0].message
    assert "（80）" in found[0].message
    assert vote_problems(counts(total=80, present=60, yes=41, no=10, abstain=9, body=GENERAL_ASSEMBLY), 80) == []


def test_an_assembly_larger_than_the_workforce_is_refused_once():
    """企业民主管理规定 Art 3: one finding, the assembly rule, not the congress bound as well."""
    found = vote_problems(counts(total=81, present=60, yes=41, no=10, abstain=9, body=GENERAL_ASSEMBLY), 80)
    assert rules(found) == [("total_members", "assembly_all_workers")]


def test_a_congress_with_more_members_than_workers_is_refused():
    """企业民主管理规定 Art 24: representatives are elected from the workers, so no more than them."""
    found = vote_problems(counts(total=61, present=50, yes=40, no=5, abstain=5), 60)
    assert rules(found) == [("total_members", "within_headcount")]


@pytest.mark.parametrize(
    ("total", "headcount", "small"),
    [
        (29, 60, True),  # fewer than 30 representatives
        (30, 60, False),
        (30, 600, False),  # 30 is exactly 5 % of 600
        (30, 601, True),  # ... and under 5 % of 601
        (50, 1000, False),
        (49, 1000, True),
        (12, 12, True),  # a firm of 12 cannot have 30: still explained
    ],
)
def test_a_congress_below_the_usual_size_needs_a_written_explanation(total, headcount, small):
    """Representatives: at least 30 and at least 5 % of the workers (企业民主管理规定, domain-research.md
    §A.3; 上海市职工代表大会条例 Art 21). Below that the vote is kept only with a written explanation."""
    vote = counts(total=total, present=total, yes=total // 2 + 1, no=0, abstain=0)
    assert undersized(vote, headcount) is small
    found = vote_problems(vote, headcount)
    assert rules(found) == ([("explanation", "explanation_required")] if small else [])
    if small:
        assert f"（{total}人）" in found[0].message
        assert "30人" in found[0].message
        assert "5%" in found[0].message
        assert vote_problems(vote, headcount, explanation="本企业职工人数少，经与工会协商确定。") == []
        assert rules(vote_problems(vote, headcount, explanation="   ")) == [("explanation", "explanation_required")]


def test_an_assembly_is_never_undersized():
    assert undersized(counts(total=12, present=12, yes=7, no=0, abstain=0, body=GENERAL_ASSEMBLY), 12) is False


def test_an_overlong_explanation_is_refused():
    vote = counts(total=20, present=20, yes=11, no=0, abstain=0)
    assert rules(vote_problems(vote, 60, explanation="说" * 2001)) == [("explanation", "at_most_chars")]


# --- the session date: not in the future, not before the revision was submitted ----------------


def test_the_session_may_not_be_held_in_the_future():
    """domain.md §8 Congress: the meeting date is not in the future (today in China time)."""
    found = held_on_problems(date(2026, 12, 8), today=date(2026, 12, 7), submitted_on=date(2026, 12, 1))
    assert rules(found) == [("held_on", "not_in_future")]
    assert "2026-12-08" in found[0].message
    assert "2026-12-07" in found[0].message
    assert held_on_problems(date(2026, 12, 7), today=date(2026, 12, 7), submitted_on=date(2026, 12, 1)) == []


def test_the_session_may_not_precede_the_submission_of_the_revision():
    """劳动合同法 Art 4 ¶2 and domain.md §8: the congress discusses the plan put to it, so not before the
    day the current revision was submitted; that day itself is allowed."""
    found = held_on_problems(date(2026, 11, 30), today=date(2026, 12, 7), submitted_on=date(2026, 12, 1))
    assert rules(found) == [("held_on", "not_before_submission")]
    assert "2026-11-30" in found[0].message
    assert "2026-12-01" in found[0].message
    assert held_on_problems(date(2026, 12, 1), today=date(2026, 12, 7), submitted_on=date(2026, 12, 1)) == []


# --- quorum: present ≥ 2/3 of ALL members -------------------------------------------------


@pytest.mark.parametrize(
    ("total", "present", "quorum"),
    [
        (120, 80, True),  # exactly 2/3
        (120, 79, False),  # one short
        (120, 120, True),
        (100, 67, True),  # 2/3 of 100 is 66.67: 67 is enough
        (100, 66, False),  # ... and 66 is not
        (3, 2, True),
        (3, 1, False),
        (1, 0, False),
    ],
)
def test_quorum_is_two_thirds_of_all_members(total, present, quorum):
    outcome = evaluate_vote(counts(total=total, present=present, yes=0, no=0, abstain=0))
    assert outcome.quorum_met is quorum
    assert outcome.result == ("rejected" if quorum else "invalid")


def test_without_quorum_the_session_is_invalid_even_if_every_vote_is_yes():
    outcome = evaluate_vote(counts(total=120, present=79, yes=79, no=0, abstain=0))
    assert outcome.quorum_met is False
    assert outcome.passed is False
    assert outcome.result == "invalid"


# --- passing: yes > 1/2 of ALL members (not of those present) --------------------------------


@pytest.mark.parametrize(
    ("total", "present", "yes", "result"),
    [
        (120, 100, 60, "rejected"),  # exactly half of all members fails
        (120, 100, 61, "passed"),  # half + 1 passes
        (120, 81, 61, "passed"),
        (120, 120, 60, "rejected"),  # half of everyone, all present: still not a majority
        (120, 80, 41, "rejected"),  # a majority of those present, not of all members
        (120, 80, 60, "rejected"),  # 3/4 of those present, still only half of all
        (120, 80, 61, "passed"),  # smallest quorum, smallest majority
        (101, 101, 51, "passed"),  # odd total: 51 > 50.5
        (101, 101, 50, "rejected"),
        (100, 67, 51, "passed"),
    ],
)
def test_passing_is_measured_against_all_members(total, present, yes, result):
    outcome = evaluate_vote(counts(total=total, present=present, yes=yes, no=present - yes, abstain=0))
    assert outcome.quorum_met is True
    assert outcome.passed is (result == "passed")
    assert outcome.result == result


def test_the_same_yes_count_passes_or_fails_only_with_the_membership_not_the_attendance():
    # 61 yes out of 81 present passes for 120 members; the same 61 yes fail for 122 members.
    assert evaluate_vote(counts(total=120, present=81, yes=61, no=20, abstain=0)).result == "passed"
    assert evaluate_vote(counts(total=122, present=120, yes=61, no=59, abstain=0)).result == "rejected"


# --- body type: 职工大会 only below the headcount threshold -----------------------------------


def test_the_default_threshold_is_one_hundred_workers():
    assert CONGRESS_HEADCOUNT_THRESHOLD == 100


def test_general_assembly_is_allowed_below_the_threshold():
    assert vote_problems(counts(total=99, present=90, yes=60, no=20, abstain=10, body=GENERAL_ASSEMBLY), 99) == []


@pytest.mark.parametrize("headcount", [100, 101, 1200])
def test_general_assembly_is_refused_at_or_above_the_threshold(headcount):
    found = vote_problems(counts(total=100, body=GENERAL_ASSEMBLY), headcount)
    assert rules(found) == [("body_type", "congress_required")]
    assert found[0].section == "congress_vote"
    assert f"{headcount}人" in found[0].message
    assert "100人" in found[0].message
    assert "职工代表大会" in found[0].message


@pytest.mark.parametrize(
    ("headcount", "threshold", "refused"),
    [
        (49, 50, False),
        (50, 50, True),
        (150, 200, False),
        (199, 200, False),
        (200, 200, True),
    ],
)
def test_the_threshold_is_a_parameter(headcount, threshold, refused):
    found = vote_problems(counts(body=GENERAL_ASSEMBLY), headcount, threshold=threshold)
    assert (("body_type", "congress_required") in rules(found)) is refused
    if refused:
        assert f"{threshold}人" in found[0].message


@pytest.mark.parametrize("headcount", [1, 30, 99, 100, 5000])
def test_a_workers_congress_is_allowed_at_any_headcount(headcount):
    total = min(headcount, max(120, -(-headcount * 5 // 100)))  # among the workers, at least 5 % of them
    vote = counts(total=total, present=total, yes=total // 2 + 1, no=0, abstain=0)
    explanation = "职工人数不足30人，全体职工均为代表。" if undersized(vote, headcount) else ""
    assert vote_problems(vote, headcount, explanation=explanation) == []


def test_unknown_body_type_is_a_finding_and_not_a_threshold_question():
    found = vote_problems(counts(body="shareholders_meeting"), 1200)
    assert rules(found) == [("body_type", "known_body_type")]
    assert found[0].section == "congress_vote"
    assert "职工代表大会" in found[0].message
    assert "职工大会" in found[0].message


def test_body_types_are_the_two_named_in_the_notice():
    assert BODY_TYPES == {WORKERS_CONGRESS: "职工代表大会", GENERAL_ASSEMBLY: "职工大会"}


# --- members label -------------------------------------------------------------------------


def test_members_label_reads_all_workers_for_an_assembly_and_all_representatives_otherwise():
    assert members_label(GENERAL_ASSEMBLY) == "全体职工"
    assert members_label(WORKERS_CONGRESS) == "全体职工代表"
    assert members_label("anything_else") == "全体职工代表"


def test_messages_use_the_members_label_of_the_body():
    assembly = vote_problems(counts(total=50, present=51, yes=0, no=0, abstain=0, body=GENERAL_ASSEMBLY), 50)
    assert rules(assembly) == [("present", "present_not_above_total")]
    assert "全体职工人数（50）" in assembly[0].message
    congress = vote_problems(counts(total=50, present=51, yes=0, no=0, abstain=0), 600)
    assert "全体职工代表人数（50）" in congress[0].message
    assembly_empty = vote_problems(counts(total=0, present=0, yes=0, no=0, abstain=0, body=GENERAL_ASSEMBLY), 60)
    assert rules(assembly_empty) == [("total_members", "positive")]
    assert assembly_empty[0].message.startswith("全体职工人数")


# --- count consistency -----------------------------------------------------------------------


def test_consistent_counts_have_no_problems():
    assert vote_problems(counts(total=120, present=110, yes=100, no=6, abstain=4), 1200) == []


def test_votes_may_equal_those_present():
    assert vote_problems(counts(total=120, present=100, yes=61, no=30, abstain=9), 1200) == []


def test_votes_above_present_are_a_finding():
    found = vote_problems(counts(total=120, present=100, yes=61, no=30, abstain=10), 1200)
    assert rules(found) == [("yes", "votes_not_above_present")]
    assert found[0].section == "congress_vote"
    assert "（101）" in found[0].message
    assert "（100）" in found[0].message


@pytest.mark.parametrize(("yes", "no", "abstain"), [(101, 0, 0), (0, 101, 0), (0, 0, 101), (50, 50, 1)])
def test_every_kind_of_ballot_counts_towards_the_votes_cast(yes, no, abstain):
    found = vote_problems(counts(total=120, present=100, yes=yes, no=no, abstain=abstain), 1200)
    assert rules(found) == [("yes", "votes_not_above_present")]


def test_present_above_total_is_a_finding():
    found = vote_problems(counts(total=120, present=121, yes=61, no=0, abstain=0), 1200)
    assert rules(found) == [("present", "present_not_above_total")]
    assert "（121）" in found[0].message
    assert "（120）" in found[0].message


def test_present_may_equal_total():
    assert vote_problems(counts(total=120, present=120, yes=61, no=59, abstain=0), 1200) == []


@pytest.mark.parametrize("field", ["total_members", "present", "yes", "no", "abstain"])
def test_negative_counts_are_a_finding_on_their_field(field):
    values = {"total_members": 120, "present": 100, "yes": 61, "no": 30, "abstain": 9, field: -1}
    found = vote_problems(VoteCounts(WORKERS_CONGRESS, **values), 1200)
    assert [f.field for f in found if f.rule == "non_negative"] == [field]
    negative = next(f for f in found if f.rule == "non_negative")
    assert negative.section == "congress_vote"
    assert negative.message == "人数不得为负数。"


def test_a_negative_count_cannot_hide_votes_above_present():
    # 61 + 50 + (-11) = 100 ≤ 100 present, yet the negative count itself is reported.
    found = vote_problems(counts(total=120, present=100, yes=61, no=50, abstain=-11), 1200)
    assert ("abstain", "non_negative") in rules(found)


def test_zero_members_is_a_finding():
    found = vote_problems(counts(total=0, present=0, yes=0, no=0, abstain=0), 1200)
    assert rules(found) == [("total_members", "positive")]
    assert found[0].message == "全体职工代表人数须大于0。"


def test_every_problem_is_reported_at_once():
    found = vote_problems(
        VoteCounts(GENERAL_ASSEMBLY, total_members=-1, present=5, yes=4, no=2, abstain=0), headcount=300
    )
    assert rules(found) == [
        ("body_type", "congress_required"),
        ("total_members", "non_negative"),
        ("total_members", "positive"),
        ("present", "present_not_above_total"),
        ("yes", "votes_not_above_present"),
    ]
    assert all(f.section == "congress_vote" and CJK.search(f.message) for f in found)


# --- properties ------------------------------------------------------------------------------


@st.composite
def consistent_votes(draw: st.DrawFn) -> tuple[VoteCounts, int, int, str]:
    """Counts that agree with each other and a body type allowed for the headcount, with the written
    explanation an undersized 职工代表大会 needs."""
    threshold = draw(st.integers(2, 1000))
    body = draw(st.sampled_from(sorted(BODY_TYPES)))
    if body == GENERAL_ASSEMBLY:
        headcount = draw(st.integers(1, threshold - 1))
    else:
        headcount = draw(st.integers(1, 100_000))
    if body == GENERAL_ASSEMBLY:
        total = headcount  # a 职工大会 is every worker on roll
    else:
        total = draw(st.integers(1, min(headcount, 3000)))  # no more members than the enterprise has workers
    present = draw(st.integers(0, total))
    yes = draw(st.integers(0, present))
    no = draw(st.integers(0, present - yes))
    abstain = draw(st.integers(0, present - yes - no))
    counts_ = VoteCounts(body, total, present, yes, no, abstain)
    return (
        counts_,
        headcount,
        threshold,
        "职工人数少，经与工会协商确定代表人数。" if undersized(counts_, headcount) else "",
    )


@PROPERTY
@given(consistent_votes())
def test_property_invalid_iff_present_below_two_thirds(vote):
    counts_, _, _, _ = vote
    outcome = evaluate_vote(counts_)
    assert (outcome.result == "invalid") == (3 * counts_.present < 2 * counts_.total_members)
    assert outcome.quorum_met == (3 * counts_.present >= 2 * counts_.total_members)


@PROPERTY
@given(consistent_votes())
def test_property_passed_iff_quorum_and_yes_above_half_of_all_members(vote):
    counts_, _, _, _ = vote
    outcome = evaluate_vote(counts_)
    quorum = 3 * counts_.present >= 2 * counts_.total_members
    majority = 2 * counts_.yes > counts_.total_members
    assert (outcome.result == "passed") == (quorum and majority)
    assert outcome.passed == (quorum and majority)
    assert (outcome.result == "rejected") == (quorum and not majority)


@PROPERTY
@given(total=st.integers(1, 3000), data=st.data())
def test_property_attendance_does_not_change_a_quorate_outcome(total, data):
    """With quorum met, more attendees who do not vote never change the result: yes is judged against all."""
    smallest_quorum = -(-2 * total // 3)  # ceil(2/3 of all members)
    present = data.draw(st.integers(smallest_quorum, total))
    more = data.draw(st.integers(present, total))
    yes = data.draw(st.integers(0, present))
    no = data.draw(st.integers(0, present - yes))
    before = evaluate_vote(VoteCounts(WORKERS_CONGRESS, total, present, yes, no, 0))
    after = evaluate_vote(VoteCounts(WORKERS_CONGRESS, total, more, yes, no, 0))
    assert before.quorum_met is True
    assert after == before


@PROPERTY
@given(consistent_votes())
def test_property_consistent_counts_have_no_problems(vote):
    counts_, headcount, threshold, explanation = vote
    assert vote_problems(counts_, headcount, threshold, explanation) == []


@PROPERTY
@given(
    total=st.integers(1, 3000),
    data=st.data(),
    body=st.sampled_from(sorted(BODY_TYPES)),
)
def test_property_votes_above_present_always_reported(total, data, body):
    present = data.draw(st.integers(0, total))
    cast = present + data.draw(st.integers(1, 3000))  # more ballots than people in the room
    yes = data.draw(st.integers(0, cast))
    no = data.draw(st.integers(0, cast - yes))
    abstain = cast - yes - no
    found = vote_problems(VoteCounts(body, total, present, yes, no, abstain), headcount=10)
    assert found
    assert ("yes", "votes_not_above_present") in rules(found)
