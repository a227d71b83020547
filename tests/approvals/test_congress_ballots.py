"""How the congress vote was taken (domain.md §5 and §8; domain-research.md §A.7, §A.8): ballots issued,
returned and valid, the secret ballot (企业民主管理规定 Art 20 ¶2), the chair and the scrutineers.

Pure rules: no application, no database.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.rules.congress import (
    MAX_SCRUTINEERS,
    NAME_MAX_CHARS,
    WORKERS_CONGRESS,
    BallotRecord,
    VoteCounts,
    ballot_problems,
    evaluate_vote,
    split_names,
)

PROPERTY = settings(max_examples=300, deadline=None, database=None)
COUNTS = VoteCounts(WORKERS_CONGRESS, 120, 100, 80, 15, 5)  # 100 votes cast


def ballots(issued: int = 100, returned: int = 100, valid: int = 100, secret: bool = True, chair: str = "王建国",
            scrutineers: tuple[str, ...] = ("李秀兰", "赵志刚")) -> BallotRecord:  # fmt: skip
    return BallotRecord(issued, returned, valid, secret, chair, scrutineers)


def rules(record: BallotRecord, counts: VoteCounts = COUNTS) -> list[tuple[str, str]]:
    return [(f.field, f.rule) for f in ballot_problems(counts, record)]


def test_consistent_ballots_have_no_problems():
    assert rules(ballots()) == []


def test_fewer_ballots_returned_and_some_void_is_consistent():
    """Issued to those present, some not handed back, some void: valid = yes + no + abstain."""
    counts = VoteCounts(WORKERS_CONGRESS, 120, 110, 80, 15, 5)
    assert rules(ballots(issued=110, returned=104, valid=100), counts) == []


def test_more_ballots_issued_than_members_present_is_refused():
    """One ballot per member present."""
    assert rules(ballots(issued=101, returned=100, valid=100)) == [("ballots_issued", "issued_not_above_present")]


def test_more_ballots_returned_than_issued_is_refused():
    assert rules(ballots(issued=99, returned=100, valid=99), VoteCounts(WORKERS_CONGRESS, 120, 100, 80, 14, 5)) == [
        ("ballots_returned", "returned_not_above_issued")
    ]


def test_more_valid_ballots_than_returned_is_refused():
    assert ("ballots_valid", "valid_not_above_returned") in rules(ballots(returned=99, valid=100))


@pytest.mark.parametrize("valid", [99, 101])
def test_the_votes_counted_must_equal_the_valid_ballots(valid):
    """Each valid ballot is exactly one of yes, no, abstain: fewer or more votes than valid ballots is refused."""
    found = ballot_problems(COUNTS, ballots(issued=100, returned=100, valid=valid))
    assert ("ballots_valid", "votes_equal_valid") in [(f.field, f.rule) for f in found]
    message = next(f.message for f in found if f.rule == "votes_equal_valid")
    assert "100" in message
    assert str(valid) in message


@pytest.mark.parametrize("field", ["ballots_issued", "ballots_returned", "ballots_valid"])
def test_a_negative_ballot_count_is_refused_naming_its_field(field):
    short = {"ballots_issued": "issued", "ballots_returned": "returned", "ballots_valid": "valid"}[field]
    record = ballots(**{short: -1})
    assert (field, "non_negative") in rules(record)


@pytest.mark.parametrize("chair", ["", "   "])
def test_the_chair_is_required(chair):
    assert rules(ballots(chair=chair)) == [("chair", "required")]


def test_an_overlong_chair_name_is_refused():
    assert rules(ballots(chair="王" * (NAME_MAX_CHARS + 1))) == [("chair", "at_most_chars")]


def test_at_least_one_scrutineer_is_named():
    assert rules(ballots(scrutineers=())) == [("scrutineers", "required")]


def test_one_scrutineer_is_enough():
    assert rules(ballots(scrutineers=("李秀兰",))) == []


def test_a_blank_scrutineer_name_is_refused():
    assert rules(ballots(scrutineers=("李秀兰", ""))) == [("scrutineers", "name_required")]


def test_a_scrutineer_named_twice_is_refused_naming_them():
    found = ballot_problems(COUNTS, ballots(scrutineers=("李秀兰", "赵志刚", "李秀兰")))
    assert [(f.field, f.rule) for f in found] == [("scrutineers", "distinct")]
    assert "李秀兰" in found[0].message


def test_too_many_scrutineers_is_refused():
    names = tuple(f"监票人{n}" for n in range(MAX_SCRUTINEERS + 1))
    assert rules(ballots(scrutineers=names)) == [("scrutineers", "at_most")]


def test_every_ballot_problem_is_reported_at_once():
    found = rules(ballots(issued=101, returned=102, valid=103, chair="", scrutineers=()))
    assert {rule for _field, rule in found} == {"issued_not_above_present", "returned_not_above_issued",
                                                "valid_not_above_returned", "votes_equal_valid", "required"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("李秀兰、赵志刚", ("李秀兰", "赵志刚")),
        ("李秀兰\n赵志刚\r\n", ("李秀兰", "赵志刚")),
        ("李秀兰，赵志刚, 王芳；", ("李秀兰", "赵志刚", "王芳")),
        ("  ", ()),
    ],
)
def test_names_are_split_on_line_breaks_and_commas(text, names):
    assert split_names(text) == names


def test_an_open_vote_is_void_even_with_every_vote_yes():
    """企业民主管理规定 Art 20 ¶2: important matters by secret ballot; a show of hands decides nothing."""
    counts = VoteCounts(WORKERS_CONGRESS, 120, 120, 120, 0, 0)
    outcome = evaluate_vote(counts, secret_ballot=False)
    assert not outcome.passed
    assert outcome.result == "invalid"  # the workflow holds a new session; the plan is not rejected
    assert outcome.reason == "open_vote"


def test_a_secret_ballot_passes_on_the_same_counts():
    outcome = evaluate_vote(VoteCounts(WORKERS_CONGRESS, 120, 120, 120, 0, 0), secret_ballot=True)
    assert outcome.passed
    assert outcome.reason == "passed"


def test_an_open_vote_without_quorum_is_reported_as_without_quorum():
    outcome = evaluate_vote(VoteCounts(WORKERS_CONGRESS, 120, 70, 70, 0, 0), secret_ballot=False)
    assert outcome.reason == "invalid"


@PROPERTY
@given(st.integers(1, 500).flatmap(lambda present: st.tuples(
    st.just(present), st.integers(0, present).flatmap(lambda issued: st.tuples(
        st.just(issued), st.integers(0, issued).flatmap(lambda returned: st.tuples(
            st.just(returned), st.integers(0, returned))))))))  # fmt: skip
def test_property_ballots_within_each_other_and_votes_equal_to_valid_have_no_problems(drawn):
    present, (issued, (returned, valid)) = drawn
    yes, no = valid // 2, valid // 4
    counts = VoteCounts(WORKERS_CONGRESS, present, present, yes, no, valid - yes - no)
    assert rules(ballots(issued, returned, valid), counts) == []


@PROPERTY
@given(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
def test_property_a_broken_order_is_always_reported(present, issued, returned, valid):
    counts = VoteCounts(WORKERS_CONGRESS, 300, present, valid, 0, 0)
    found = rules(ballots(issued, returned, valid), counts)
    assert (("ballots_issued", "issued_not_above_present") in found) == (issued > present)
    assert (("ballots_returned", "returned_not_above_issued") in found) == (returned > issued)
    assert (("ballots_valid", "valid_not_above_returned") in found) == (valid > returned)
