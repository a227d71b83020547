"""Funding (domain.md §3.1) and the execution gate (§2, notice §五): each condition with its reason.

Pure rules: no application, no database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.demo import fund_fully, sample_content
from approvals.models import Enterprise
from approvals.rules.content import FUNDING_ITEMS, FUNDING_SOURCES, content_hash
from approvals.rules.funding import FundingStatus, funding_status, to_amount
from approvals.rules.gate import Condition, GateFacts, gate_conditions
from approvals.rules.issues import Finding

PROPERTY = settings(max_examples=300, deadline=None, database=None)
KEYS = ["plan_complete", "funds_secured", "congress_passed", "bureau_approved", "working_group_cleared", "published",
        "notice_window_over", "objections_closed"]  # fmt: skip
# Monday 2026-12-07 10:00 in China; the notice of facts() ended the day before.
NOW = datetime(2026, 12, 7, 2, 0)
ENDED = NOW - timedelta(days=1)
CURRENT = "c" * 64
OLD = "0" * 64
SECURED = FundingStatus(required=Decimal(1000), secured=Decimal(1000), unevidenced=())


def attachment(n: int = 1) -> dict[str, Any]:
    return {"id": n, "filename": f"批复{n}.pdf", "kind": "pdf", "size": 1024, "sha256": f"{n:064x}"}


def source(
    amount: Any, evidence: Any = "冀财资〔2018〕45号", kind: str = "special_award", files: int = 1
) -> dict[str, Any]:
    found = {"source": kind, "amount": amount, "evidence": evidence}
    if files:
        found["attachments"] = [attachment(n) for n in range(1, files + 1)]
    return found


# --- to_amount -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "amount"),
    [(0, Decimal(0)), (12, Decimal(12)), ("12.30", Decimal("12.30")), (0.1, Decimal("0.1")), ("1e3", Decimal(1000))],
)
def test_to_amount_reads_non_negative_numbers(value, amount):
    assert to_amount(value) == amount
    assert isinstance(to_amount(value), Decimal)


@pytest.mark.parametrize("value", ["abc", -1, "-0.01", True, False, None, "", "NaN", "sNaN", "inf", "-inf", [], {}])
def test_to_amount_rejects_everything_else(value):
    assert to_amount(value) is None


@PROPERTY
@given(st.decimals(min_value=0, allow_nan=False, allow_infinity=False, places=2))
def test_property_to_amount_round_trips_non_negative_decimal_strings(value):
    assert to_amount(str(value)) == value


@PROPERTY
@given(st.decimals(max_value=Decimal("-0.01"), allow_nan=False, allow_infinity=False, places=2))
def test_property_to_amount_rejects_negative_amounts(value):
    assert to_amount(str(value)) is None


# --- funding_status --------------------------------------------------------------------------------


def test_required_sums_only_the_known_items():
    status = funding_status(
        {"required": {"severance": 100, "training": "50", "other": 7, "bonus": 1000, "Severance": 99}, "sources": []}
    )
    assert status.required == Decimal(157)


def test_required_counts_unreadable_items_as_zero():
    status = funding_status({"required": {"severance": "abc", "arrears": -5, "social_insurance": True, "training": 10}})
    assert status.required == Decimal(10)


def test_required_covers_every_item_of_the_notice():
    assert set(FUNDING_ITEMS) == {
        "severance",
        "internal_retirement",
        "arrears",
        "social_insurance",
        "training",
        "other",
    }
    status = funding_status({"required": dict.fromkeys(FUNDING_ITEMS, 1)})
    assert status.required == Decimal(6)


def test_secured_sums_every_evidenced_source():
    status = funding_status(
        {"sources": [source(100), source("50.5", kind="capacity_swap"), source("x"), source(-3), source(None)]}
    )
    assert status.secured == Decimal("150.5")


def test_a_source_without_evidence_is_not_secured_but_reported_as_uncounted():
    """The totals use the gate's evidence rule (domain.md §3.1): "secured 130,000, shortfall 0" beside
    "row 1 lacks documents" was the fault; the row's amount is listed apart, the gap stays open."""
    status = funding_status({"required": {"severance": 130000},
                             "sources": [source(30000, files=0), source(100000)]})  # fmt: skip
    assert status.secured == Decimal(100000)
    assert status.uncounted == Decimal(30000)
    assert status.gap == Decimal(30000)
    assert status.unevidenced == (0,)
    assert status.is_secured is False


def test_sources_without_an_evidence_file_are_listed_by_index():
    status = funding_status(
        {
            "sources": [
                source(1),
                source(1, files=0),  # the document's name and number alone do not evidence it
                {**source(1), "attachments": []},
                {**source(1), "attachments": None},
                {"source": "other", "amount": 1},
                source(1, evidence="", files=2),  # a file without a description does
                source(1, evidence=None),
            ]
        }
    )
    assert status.unevidenced == (1, 2, 3, 4)


@pytest.mark.parametrize("funding", [None, {}, {"required": None, "sources": None}])
def test_no_funding_is_nothing_required_nothing_secured(funding):
    status = funding_status(funding)
    assert status == FundingStatus(Decimal(0), Decimal(0), ())
    assert status.gap == Decimal(0)
    assert status.is_secured is False


@pytest.mark.parametrize("funding", ["abc", [], {"required": [100], "sources": {"amount": 100}}])
def test_malformed_funding_reads_as_nothing(funding):
    assert funding_status(funding) == FundingStatus(Decimal(0), Decimal(0), ())


def test_a_source_that_is_not_an_object_secures_nothing_and_has_no_evidence():
    status = funding_status({"required": {"severance": 10}, "sources": [880000, source(10), "x"]})
    assert status.secured == Decimal(10)
    assert status.uncounted == Decimal(0)
    assert status.unevidenced == (0, 2)
    assert status.is_secured is False


@pytest.mark.parametrize(
    ("required", "secured", "gap"),
    [(300, 100, 200), (300, 300, 0), (300, 500, 0), (0, 0, 0), ("0.3", "0.1", "0.2")],
)
def test_gap_is_what_is_still_missing_never_negative(required, secured, gap):
    status = funding_status({"required": {"severance": required}, "sources": [source(secured)]})
    assert status.gap == Decimal(gap)


@pytest.mark.parametrize(
    ("required", "sources", "secured"),
    [
        (1000, [source(1000)], True),  # exactly covered
        (1000, [source(600), source(400, kind="enterprise_own")], True),  # covered by two sources
        (1000, [source(1500)], True),  # more than covered
        (1000, [source("999.99")], False),  # a cent short
        (1000, [source(1000), source(0, files=0)], False),  # every source must be evidenced, even 0
        (1000, [source(2000, files=0)], False),  # enough money, no evidence file
        (1000, [], False),  # no sources
        (0, [source(500)], False),  # nothing required: nothing is secured
    ],
)
def test_is_secured_needs_every_source_evidenced_and_the_requirement_covered(required, sources, secured):
    status = funding_status({"required": {"severance": required}, "sources": sources})
    assert status.is_secured is secured


def test_decimal_amounts_as_strings_add_up_exactly():
    status = funding_status({"required": {"severance": "0.1", "training": "0.2"}, "sources": [source("0.3")]})
    assert status.required == Decimal("0.3")
    assert status.secured == Decimal("0.3")
    assert status.gap == 0
    assert status.is_secured is True


def test_float_amounts_add_up_as_written_not_as_binary_fractions():
    assert 0.1 + 0.2 != 0.3  # what a float sum would get wrong
    status = funding_status({"required": {"severance": 0.1, "training": 0.2}, "sources": [source(0.3)]})
    assert status.required == Decimal("0.3")
    assert status.is_secured is True


def test_many_small_sources_cover_the_requirement_exactly():
    status = funding_status({"required": {"other": "1.00"}, "sources": [source("0.01") for _ in range(100)]})
    assert status.secured == Decimal("1.00")
    assert status.gap == 0
    assert status.is_secured is True


def test_the_sample_plan_is_funded():
    steel = Enterprise(name="冀东示范钢铁有限公司", uscc="91130283MA07L5RX1B", industry="steel",
                       region_code="130283", headcount=1200, zombie=False)  # fmt: skip
    funding = sample_content(steel, workers=20)["funding"]
    assert funding_status(funding).is_secured is False  # no sources until the roster's costs are known
    funding["required"].update(severance="120000.00", internal_retirement="200000.00")  # as the import fills them
    funded = fund_fully(funding)
    status = funding_status(funded)
    assert status.required == Decimal(120000 + 200000 + 20 * 8000 + 20 * 2000)
    assert (status.secured, status.uncounted) == (0, status.required)  # nothing counts until the files are uploaded
    assert (status.is_secured, status.unevidenced) == (False, (0, 1))
    for n, item in enumerate(funded["sources"], start=1):
        item["attachments"] = [attachment(n)]
    assert funding_status(funded).is_secured is True


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@PROPERTY
@given(
    required=st.dictionaries(st.sampled_from(list(FUNDING_ITEMS)), amounts),
    sources=st.lists(st.tuples(st.sampled_from(list(FUNDING_SOURCES)), amounts, st.integers(0, 2)), max_size=6),
)
def test_property_funding_status(required, sources):
    funding = {
        "required": {key: str(value) for key, value in required.items()},
        "sources": [source(str(amount), kind=kind, files=files) for kind, amount, files in sources],
    }
    status = funding_status(funding)
    total_required = sum(required.values(), Decimal(0))
    total_secured = sum((amount for _, amount, files in sources if files), Decimal(0))
    evidenced = all(files for _, _, files in sources)
    assert status.required == total_required
    assert status.secured == total_secured
    assert status.secured + status.uncounted == sum((amount for _, amount, _ in sources), Decimal(0))
    assert status.gap == max(total_required - total_secured, Decimal(0))
    assert status.is_secured == (evidenced and total_required > 0 and total_secured >= total_required)


# --- the gate ------------------------------------------------------------------------------------------


def facts(**changes: Any) -> GateFacts:
    """Every fact holds, except those changed."""
    values: dict[str, Any] = {
        "content_hash": CURRENT,
        "missing": [],
        "funding": SECURED,
        "passed_vote_hash": CURRENT,
        "approved_hash": CURRENT,
        "high_risk": False,
        "cleared_hash": None,
        "published_hash": CURRENT,
        "notice_closes_at": ENDED,
        "now": NOW,
        "waits_for_notice": True,
        "open_objections": (),
    }
    values.update(changes)
    return GateFacts(**values)


def by_key(conditions: list[Condition]) -> dict[str, Condition]:
    return {c.key: c for c in conditions}


def unmet(conditions: list[Condition]) -> list[str]:
    return [c.key for c in conditions if not c.met]


def test_eight_conditions_in_the_notices_order():
    conditions = gate_conditions(facts())
    assert [c.key for c in conditions] == KEYS
    assert [c.label for c in conditions] == [
        "安置方案完善",
        "资金保障到位",
        "经职工代表大会或职工大会讨论通过",
        "人社部门审核同意",
        "联合工作组同意（高风险企业）",
        "方案已公布",
        "公示期已满",
        "异议已全部办结",
    ]


def test_all_met_when_every_fact_holds():
    conditions = gate_conditions(facts())
    assert unmet(conditions) == []
    reasons = {c.key: c.reason for c in conditions}
    assert reasons == {
        "plan_complete": "各部分内容齐全。",
        "funds_secured": "所需资金1000元，已落实1000元，来源均有凭证。",
        "congress_passed": "当前版本已经表决通过。",
        "bureau_approved": "人社部门已审核同意当前版本。",
        "working_group_cleared": "非高风险企业，无需联合工作组介入。",
        "published": "当前版本已公布。",
        "notice_window_over": "公示期已于2026-12-06 10:00届满。",
        "objections_closed": "没有未办结的异议。",
    }


def test_all_met_for_a_high_risk_plan_the_working_group_cleared():
    conditions = by_key(gate_conditions(facts(high_risk=True, cleared_hash=CURRENT)))
    assert all(c.met for c in conditions.values())
    assert conditions["working_group_cleared"].reason == "联合工作组已同意当前版本。"


def test_condition_as_dict():
    condition = gate_conditions(facts())[0]
    assert condition.as_dict() == {
        "key": "plan_complete",
        "label": "安置方案完善",
        "met": True,
        "reason": "各部分内容齐全。",
    }


def test_incomplete_plan_lists_what_is_missing():
    missing = [
        Finding("funding", "sources", "required", "资金保障：至少填写一项资金来源。"),
        Finding("roster", "rows", "required", "职工实名制台账：尚未填报职工名单。"),
    ]
    conditions = gate_conditions(facts(missing=missing))
    assert unmet(conditions) == ["plan_complete"]
    assert conditions[0].reason == "尚缺2项：资金保障：至少填写一项资金来源。；职工实名制台账：尚未填报职工名单。"


def test_incomplete_plan_counts_every_item_and_quotes_the_first_five():
    missing = [Finding("profile", f"f{i}", "required", f"第{i}项缺失。") for i in range(1, 8)]
    reason = gate_conditions(facts(missing=missing))[0].reason
    assert reason.startswith("尚缺7项：")
    assert "第5项缺失。" in reason
    assert "第6项缺失。" not in reason


def test_funds_with_a_gap_name_the_gap():
    conditions = gate_conditions(facts(funding=FundingStatus(Decimal(1000), Decimal(400), ())))
    assert unmet(conditions) == ["funds_secured"]
    assert conditions[1].reason == "所需资金1000元，已落实400元，缺口600元。"


def test_funds_without_evidence_name_the_sources():
    conditions = gate_conditions(facts(funding=FundingStatus(Decimal(1000), Decimal(1000), (0, 2))))
    assert unmet(conditions) == ["funds_secured"]
    assert conditions[1].reason == "第1、3项资金来源缺少证明材料。"


def test_funds_with_nothing_required_say_why_they_are_not_secured():
    condition = gate_conditions(facts(funding=FundingStatus(Decimal(0), Decimal(500), ())))[1]
    assert condition.met is False
    assert "缺口0元" not in condition.reason
    assert "尚未填报所需资金" in condition.reason


def test_funds_name_every_problem_at_once():
    condition = gate_conditions(facts(funding=FundingStatus(Decimal(1000), Decimal(400), (1,))))[1]
    assert condition.reason == "第2项资金来源缺少证明材料；所需资金1000元，已落实400元，缺口600元。"


def test_congress_not_yet_voted():
    conditions = gate_conditions(facts(passed_vote_hash=None))
    assert unmet(conditions) == ["congress_passed"]
    assert conditions[2].reason == "当前版本尚未经职工代表大会或职工大会表决通过。"


def test_a_change_after_the_vote_voids_it():
    conditions = gate_conditions(facts(passed_vote_hash=OLD))
    assert unmet(conditions) == ["congress_passed"]
    assert "修改" in conditions[2].reason
    assert conditions[2].reason == "方案在表决通过后已修改，须重新表决。"


def test_editing_the_plan_changes_the_hash_the_vote_was_bound_to():
    steel = Enterprise(name="冀东示范钢铁有限公司", uscc="91130283MA07L5RX1B", industry="steel",
                       region_code="130283", headcount=1200, zombie=False)  # fmt: skip
    content = sample_content(steel, workers=20)
    voted = content_hash("职工安置方案", content)
    assert content_hash("职工安置方案", sample_content(steel, workers=20)) == voted  # same content, same hash
    content["workforce"]["exclusion_reasons"] = "补充说明"
    edited = content_hash("职工安置方案", content)
    assert edited != voted
    assert content_hash("职工安置方案（修订）", sample_content(steel, workers=20)) != voted  # the title counts too
    everything_else = {"approved_hash": edited, "published_hash": edited}
    congress = by_key(gate_conditions(facts(content_hash=edited, passed_vote_hash=voted, **everything_else)))
    assert congress["congress_passed"].met is False
    assert "修改" in congress["congress_passed"].reason


@pytest.mark.parametrize("approved", [None, OLD])
def test_bureau_not_approved_the_current_revision(approved):
    conditions = gate_conditions(facts(approved_hash=approved))
    assert unmet(conditions) == ["bureau_approved"]
    assert conditions[3].reason == "人社部门尚未审核同意当前版本。"


@pytest.mark.parametrize("cleared", [None, OLD])
def test_high_risk_needs_the_working_group_to_clear_the_current_revision(cleared):
    conditions = gate_conditions(facts(high_risk=True, cleared_hash=cleared))
    assert unmet(conditions) == ["working_group_cleared"]
    assert conditions[4].reason == "高风险企业，联合工作组尚未同意当前版本。"


@pytest.mark.parametrize("cleared", [None, OLD, CURRENT])
def test_working_group_is_not_needed_unless_high_risk(cleared):
    condition = gate_conditions(facts(high_risk=False, cleared_hash=cleared))[4]
    assert condition.met is True
    assert condition.reason == "非高风险企业，无需联合工作组介入。"


@pytest.mark.parametrize("published", [None, OLD])
def test_not_published(published):
    conditions = gate_conditions(facts(published_hash=published))
    assert unmet(conditions) == ["published"]
    assert conditions[5].reason == "方案尚未公布。"


def test_nothing_done_fails_every_condition_with_its_own_reason():
    conditions = gate_conditions(
        facts(
            missing=[Finding("roster", "rows", "required", "职工实名制台账：尚未填报职工名单。")],
            funding=funding_status(None),
            passed_vote_hash=None,
            approved_hash=None,
            high_risk=True,
            cleared_hash=None,
            published_hash=None,
            notice_closes_at=None,
            open_objections=("ABCD2345EFGH",),
        )
    )
    assert unmet(conditions) == KEYS
    reasons = [c.reason for c in conditions]
    assert len(set(reasons)) == 8
    assert all(reasons)


@PROPERTY
@given(
    complete=st.booleans(),
    funded=st.booleans(),
    voted=st.booleans(),
    approved=st.booleans(),
    high_risk=st.booleans(),
    cleared=st.booleans(),
    published=st.booleans(),
    window_over=st.booleans(),
    waits=st.booleans(),
    objections_open=st.booleans(),
    stale=st.sampled_from([None, OLD]),
    shortfall=st.sampled_from(
        [
            FundingStatus(Decimal(1000), Decimal(999), ()),
            FundingStatus(Decimal(1000), Decimal(1000), (1,)),
            FundingStatus(Decimal(0), Decimal(0), ()),
        ]
    ),
)
def test_property_gate_met_iff_every_fact_holds(
    complete,
    funded,
    voted,
    approved,
    high_risk,
    cleared,
    published,
    window_over,
    waits,
    objections_open,
    stale,
    shortfall,
):
    conditions = gate_conditions(
        facts(
            missing=[] if complete else [Finding("profile", "name", "required", "企业基本情况：缺少“企业名称”。")],
            funding=SECURED if funded else shortfall,
            passed_vote_hash=CURRENT if voted else stale,
            approved_hash=CURRENT if approved else stale,
            high_risk=high_risk,
            cleared_hash=CURRENT if cleared else stale,
            published_hash=CURRENT if published else stale,
            notice_closes_at=ENDED if window_over else NOW + timedelta(days=3),
            waits_for_notice=waits,
            open_objections=("ABCD2345EFGH",) if objections_open else (),
        )
    )
    holds = {
        "plan_complete": complete,
        "funds_secured": funded,
        "congress_passed": voted,
        "bureau_approved": approved,
        "working_group_cleared": cleared or not high_risk,
        "published": published,
        "notice_window_over": window_over or not waits,
        "objections_closed": not objections_open,
    }
    assert [c.key for c in conditions] == KEYS
    assert {c.key: c.met for c in conditions} == holds
    assert all(c.met for c in conditions) == all(holds.values())
    assert all(c.reason for c in conditions)


# --- the public notice (domain.md §8): its window and its objections -------------------------------------


def test_within_the_window_the_gate_names_its_end_and_the_working_days_left():
    # Ends Sunday 2026-12-20 14:30 in China: the working days after Monday 12-07 are 12-08..11 and 12-14..18.
    conditions = gate_conditions(facts(notice_closes_at=datetime(2026, 12, 20, 6, 30)))
    assert unmet(conditions) == ["notice_window_over"]
    assert by_key(conditions)["notice_window_over"].reason == "公示期至2026-12-20 14:30届满，尚余9个工作日。"


def test_on_its_last_day_the_window_is_still_unmet():
    condition = by_key(gate_conditions(facts(notice_closes_at=NOW + timedelta(hours=5))))["notice_window_over"]
    assert (condition.met, condition.reason) == (False, "公示期至2026-12-07 15:00届满，尚未届满。")


def test_the_window_is_over_at_its_closing_moment():
    assert by_key(gate_conditions(facts(notice_closes_at=NOW)))["notice_window_over"].met


def test_with_the_setting_off_execution_need_not_wait_for_the_window():
    condition = by_key(gate_conditions(facts(notice_closes_at=datetime(2026, 12, 20, 6, 30), waits_for_notice=False)))[
        "notice_window_over"
    ]
    assert condition.met
    assert condition.reason == "公示期至2026-12-20 14:30届满；按本系统设置，实施不必等待公示期届满。"


def test_before_publication_the_window_has_not_begun():
    condition = by_key(gate_conditions(facts(published_hash=None, notice_closes_at=None)))["notice_window_over"]
    assert (condition.met, condition.reason) == (False, "方案尚未公布，公示期尚未开始。")


def test_an_open_objection_is_named_by_its_receipt_code():
    conditions = gate_conditions(facts(open_objections=("ABCD2345EFGH", "JKMN6789PQRS")))
    assert unmet(conditions) == ["objections_closed"]
    assert by_key(conditions)["objections_closed"].reason == "尚有2件异议未办结：受理码ABCD-2345-EFGH、JKMN-6789-PQRS。"


def test_many_open_objections_name_the_first_five_and_count_all():
    codes = tuple(f"ABCD2345EF{c}{c}" for c in "GHJKMNP")
    reason = by_key(gate_conditions(facts(open_objections=codes)))["objections_closed"].reason
    assert reason.startswith("尚有7件异议未办结：受理码ABCD-2345-EFGG、")
    assert reason.endswith("ABCD-2345-EFMM等。")
