"""Differences between revisions: content field by field, roster rows added, removed, changed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from approvals.rules.revisions import Change, diff_roster, diff_values


def test_nested_fields_are_named_by_path():
    before = {"title": "方案", "funding": {"sources": [{"amount": 100, "evidence": "甲"}], "required": {"training": 5}}}
    after = {"title": "方案（修订）", "funding": {"sources": [{"amount": 120, "evidence": "甲"}, {"amount": 1}],
                                          "required": {"training": 5}}}  # fmt: skip
    assert diff_values(before, after) == [
        Change("funding.sources[1].amount", 100, 120),
        Change("funding.sources[2]", None, {"amount": 1}),
        Change("title", "方案", "方案（修订）"),
    ]


def test_identical_values_have_no_changes():
    value = {"a": [1, {"b": "二"}], "c": None}
    assert diff_values(value, value) == []


def test_roster_rows_added_removed_and_changed():
    before = {"1": {"name": "王某", "channel": "termination"}, "2": {"name": "李某", "channel": "transformation"}}
    after = {"1": {"name": "王某", "channel": "internal_retirement"}, "3": {"name": "张某", "channel": "termination"}}
    result = diff_roster(before, after)
    assert (result.added, result.removed) == (["3"], ["2"])
    assert result.changed == {"1": [Change("channel", "termination", "internal_retirement")]}
    assert result.as_dict()["changed"]["1"][0] == {"path": "channel", "before": "termination",
                                                   "after": "internal_retirement"}  # fmt: skip


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@given(json_values, json_values)
def test_no_changes_exactly_when_equal(a, b):
    assert (diff_values(a, b) == []) == (a == b)
