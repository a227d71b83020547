"""Completeness (domain.md §2 step 1, §3): every missing or inconsistent item, each a precise Finding.

Pure rules: no application, no database.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from approvals.demo import fund_fully, sample_content
from approvals.models import Enterprise
from approvals.rules import completeness
from approvals.rules.completeness import CHECKS, check_roster, missing_items
from approvals.rules.content import CHANNELS, FUNDING_ITEMS, SECTIONS
from approvals.rules.issues import Finding
from approvals.rules.roster import RosterSummary

CJK = re.compile(r"[\u4e00-\u9fff]")
WORKERS = 20
# sample_content assigns rows round-robin over the channels: 4, 4, 3, 3, 3, 3 for 20 workers.
ROUND_ROBIN = {"internal_retirement": 4, "transfer_training": 4, "transformation": 3,
               "self_employment": 3, "public_welfare": 3, "termination": 3}  # fmt: skip


# The imported roster that matches sample_content (its summary, as kept on the plan row).
ROSTER = RosterSummary(workers=WORKERS, in_scope=WORKERS, by_channel=ROUND_ROBIN, terminations=3,
                       severance_total=Decimal("120000.00"), internal_retirement_total=Decimal("200000.00"))  # fmt: skip


@pytest.fixture
def plan() -> dict[str, Any]:
    steel = Enterprise(name="冀东示范钢铁有限公司", uscc="91130283MA07L5RX1B", industry="steel",
                       region_code="130283", headcount=1200, zombie=False)  # fmt: skip
    content = sample_content(steel, workers=WORKERS)
    required = {**content["funding"]["required"], "severance": str(ROSTER.severance_total),
                "internal_retirement": str(ROSTER.internal_retirement_total)}  # fmt: skip
    content["funding"] = fund_fully({"required": required})
    return content


def keys(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.section, f.field, f.rule) for f in found]


def only(found: list[Finding], section: str, field: str, rule: str) -> Finding:
    matching = [f for f in found if (f.section, f.field, f.rule) == (section, field, rule)]
    assert len(matching) == 1, keys(found)
    return matching[0]


# --- the complete plan ---------------------------------------------------------------------------


def test_the_sample_plan_is_complete(plan):
    assert plan["channels"] == ROUND_ROBIN
    assert missing_items(plan, ROSTER) == []


def test_an_empty_plan_misses_every_section():
    found = missing_items({})
    # no in_scope, nothing to sum channels against; no internal retirees, no allowance to ask for
    assert {f.section for f in found} == set(SECTIONS) - {"channels", "internal_retirement"}
    assert len(found) == len(set(keys(found)))


def test_a_plan_without_an_imported_roster_is_incomplete(plan):
    assert keys(missing_items(plan)) == [("roster", "rows", "required")]


# --- removing a section --------------------------------------------------------------------------

REMOVED = {
    "profile": [("profile", field, "required") for field in ("name", "uscc", "ownership", "industry", "region_code")],
    "decapacity": [
        ("decapacity", "capacity_withdrawn", "positive_number"),
        ("decapacity", "unit", "required"),
        ("decapacity", "year", "required"),
    ],
    "workforce": [("workforce", "on_roll", "positive_integer"), ("workforce", "in_scope", "positive_integer")],
    "channels": [("channels", "total", "sum_equals_in_scope")]
    + [("roster", f"channels.{key}", "count_equals_channel") for key in CHANNELS],
    "funding": [("funding", f"required.{key}", "non_negative_amount") for key in FUNDING_ITEMS]
    + [("funding", "sources", "required")]
    + [
        ("funding", "required.severance", "equals_computed"),
        ("funding", "required.internal_retirement", "equals_computed"),
        ("funding", "required.arrears", "equals_arrears"),
    ],
    "labour_relations": [("labour_relations", "handling", "required")],
    "severance": [("severance", "standard", "required"), ("severance", "reference_date", "iso_date")],
    "arrears": [
        ("arrears", "settlement", "required"),
        ("arrears", "wages", "non_negative_amount"),
        ("arrears", "social_insurance", "non_negative_amount"),
    ],
    "social_insurance": [("social_insurance", "arrangement", "required")],
    "internal_retirement": [("internal_retirement", "living_allowance", "positive_amount")],
    "reemployment": [("reemployment", "measures", "required")],
    "protected_groups": [("protected_groups", "handling", "required")],
    "timetable": [("timetable", "steps", "required")],
    "opinions": [
        ("opinions", "method", "required"),
        ("opinions", "summary", "required"),
        ("opinions", "solicited_on", "iso_date"),
    ],
    "risk_assessment": [
        ("risk_assessment", "open_disputes", "non_negative_integer"),
        ("risk_assessment", "assessment", "required"),
        ("risk_assessment", "emergency_plan", "required"),
    ],
}
# The roster is not a content section: it is imported as a file (tests above and in tests/web).
CONTENT_SECTIONS = [s for s in SECTIONS if s != "roster"]


def test_every_section_is_covered_by_the_removal_table():
    assert set(REMOVED) == set(CONTENT_SECTIONS)


@pytest.mark.parametrize("section", CONTENT_SECTIONS)
def test_removing_a_section_yields_findings_naming_it(plan, section):
    del plan[section]
    found = missing_items(plan, ROSTER)
    assert section in {f.section for f in found}
    assert keys(found) == REMOVED[section]


@pytest.mark.parametrize("section", CONTENT_SECTIONS)
def test_an_empty_section_is_the_same_as_a_missing_one(plan, section):
    plan[section] = {}
    assert keys(missing_items(plan, ROSTER)) == REMOVED[section]


# --- profile, de-capacity, risk assessment ---------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "uscc", "ownership", "industry", "region_code"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_blank_profile_fields_are_required(plan, field, value):
    plan["profile"][field] = value
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("profile", field, "required")]
    assert found[0].message.startswith("企业基本情况：缺少")


def test_parent_group_is_optional_and_the_zombie_flag_is_not_the_plans_to_state(plan):
    """The flag is the enterprise register's (approvals/rules/register.py): a complete plan does not hold it,
    and a copy an older plan holds changes nothing."""
    plan["profile"]["parent_group"] = ""
    assert "zombie" not in plan["profile"]
    assert missing_items(plan, ROSTER) == []
    plan["profile"]["zombie"] = False
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize("value", [0, -5, "abc", None, True, "NaN", "inf"])
def test_capacity_withdrawn_must_be_a_positive_number(plan, value):
    plan["decapacity"]["capacity_withdrawn"] = value
    assert keys(missing_items(plan, ROSTER)) == [("decapacity", "capacity_withdrawn", "positive_number")]


@pytest.mark.parametrize("value", [0.5, "120", "1e2"])
def test_capacity_withdrawn_accepts_any_positive_amount(plan, value):
    plan["decapacity"]["capacity_withdrawn"] = value
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize("value", [-1, 1.5, True, "0", None])
def test_open_disputes_must_be_a_non_negative_integer(plan, value):
    plan["risk_assessment"]["open_disputes"] = value
    assert keys(missing_items(plan, ROSTER)) == [("risk_assessment", "open_disputes", "non_negative_integer")]


@pytest.mark.parametrize("field", ["assessment", "emergency_plan"])
def test_risk_texts_are_required(plan, field):
    plan["risk_assessment"][field] = " \n"
    assert keys(missing_items(plan, ROSTER)) == [("risk_assessment", field, "required")]


# --- workforce -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -1, 1.5, 1200.0, True, "1200", None])
def test_on_roll_must_be_a_positive_integer(plan, value):
    plan["workforce"]["on_roll"] = value
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("workforce", "on_roll", "positive_integer")]
    assert found[0].message == "职工基本情况：在册职工数须为正整数。"


@pytest.mark.parametrize("value", [0, -1, 20.0, True, "20", None])
def test_in_scope_must_be_a_positive_integer(plan, value):
    plan["workforce"]["in_scope"] = value
    # Without a valid in_scope, the sums against it are not checked: one finding, not a cascade.
    assert keys(missing_items(plan, ROSTER)) == [("workforce", "in_scope", "positive_integer")]


@pytest.mark.parametrize("on_roll", [1, 10, WORKERS - 1])
def test_in_scope_above_on_roll_is_a_finding(plan, on_roll):
    plan["workforce"]["on_roll"] = on_roll
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("workforce", "in_scope", "not_above_on_roll")]
    assert found[0].message == f"职工基本情况：需安置职工数（{WORKERS}）不得多于在册职工数（{on_roll}）。"


def test_in_scope_may_equal_on_roll(plan):
    plan["workforce"]["on_roll"] = WORKERS
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize("value", [-1, 0.5, True, None, "3"])
def test_excluded_must_be_a_non_negative_integer(plan, value):
    plan["workforce"]["excluded"] = value
    assert keys(missing_items(plan, ROSTER)) == [("workforce", "excluded", "non_negative_integer")]


def test_excluded_may_be_left_out(plan):
    del plan["workforce"]["excluded"]
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize("reasons", ["", "   ", None])
def test_exclusions_need_reasons(plan, reasons):
    plan["workforce"]["excluded"] = 5
    plan["workforce"]["exclusion_reasons"] = reasons
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("workforce", "exclusion_reasons", "required_when_excluded")]
    assert "原因" in found[0].message


def test_exclusions_with_reasons_are_complete(plan):
    plan["workforce"]["excluded"] = 5
    plan["workforce"]["exclusion_reasons"] = "已领取基本养老金5人。"
    assert missing_items(plan, ROSTER) == []


# --- channels --------------------------------------------------------------------------------------


def test_channel_sum_must_equal_in_scope(plan):
    plan["channels"]["termination"] += 1
    found = missing_items(plan, ROSTER)
    assert keys(found) == [
        ("channels", "total", "sum_equals_in_scope"),
        ("roster", "channels.termination", "count_equals_channel"),
    ]
    assert "合计（21）" in found[0].message
    assert "需安置职工数（20）" in found[0].message


def test_missing_channels_count_as_zero(plan):
    del plan["channels"]["termination"]
    found = missing_items(plan, ROSTER)
    assert ("channels", "total", "sum_equals_in_scope") in keys(found)
    assert "合计（17）" in only(found, "channels", "total", "sum_equals_in_scope").message


@pytest.mark.parametrize("value", [-1, 1.5, 3.0, True, "3", None])
def test_channel_counts_must_be_non_negative_integers(plan, value):
    plan["channels"]["termination"] = value
    found = missing_items(plan, ROSTER)
    finding = only(found, "channels", "termination", "non_negative_integer")
    assert "依法解除劳动合同" in finding.message
    # the bad count is left out of the sum, so the sum no longer matches
    assert "合计（17）" in only(found, "channels", "total", "sum_equals_in_scope").message
    # and an unreadable count is not compared with the roster
    assert ("roster", "channels.termination", "count_equals_channel") not in keys(found)


# --- roster ----------------------------------------------------------------------------------------


# --- funding ---------------------------------------------------------------------------------------

BAD_AMOUNTS = ["abc", -1, "-1", -0.01, True, False, None, "", "NaN", "nan", "sNaN", "inf", "-Infinity", "1,000", [], {}]


@pytest.mark.parametrize("value", BAD_AMOUNTS)
def test_bad_required_amounts_are_a_finding(plan, value):
    plan["funding"]["required"]["training"] = value
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("funding", "required.training", "non_negative_amount")]
    assert "转岗培训费" in found[0].message


@pytest.mark.parametrize("value", BAD_AMOUNTS)
def test_bad_source_amounts_are_a_finding(plan, value):
    plan["funding"]["sources"][1]["amount"] = value
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("funding", "sources[2].amount", "non_negative_amount")]
    assert found[0].message.startswith("资金保障第2项来源")


@pytest.mark.parametrize("value", [0, "0", "0.00", 12.5, "880000.50", "1e3", " 12 ", "123456789012.34"])
def test_good_amounts_are_accepted(plan, value):
    plan["funding"]["required"]["other"] = value
    plan["funding"]["sources"][0]["amount"] = value
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize("key", list(FUNDING_ITEMS))
def test_every_required_item_must_be_filled(plan, key):
    del plan["funding"]["required"][key]
    cross_check = {"severance": [("funding", "required.severance", "equals_computed")],
                   "internal_retirement": [("funding", "required.internal_retirement", "equals_computed")],
                   "arrears": [("funding", "required.arrears", "equals_arrears")]}.get(key, [])  # fmt: skip
    assert keys(missing_items(plan, ROSTER)) == [("funding", f"required.{key}", "non_negative_amount"), *cross_check]


@pytest.mark.parametrize("source", ["lottery", "", None, "ENTERPRISE_OWN"])
def test_unknown_funding_source_is_a_finding(plan, source):
    plan["funding"]["sources"].append({"source": source, "amount": 10, "evidence": "x"})
    found = missing_items(plan, ROSTER)
    assert keys(found) == [("funding", "sources[3].source", "known_source")]
    assert found[0].message == "资金保障第3项来源：来源类别无效。"


def test_at_least_one_source_is_required(plan):
    plan["funding"]["sources"] = []
    assert keys(missing_items(plan, ROSTER)) == [("funding", "sources", "required")]


def test_completeness_does_not_judge_whether_funds_are_secured(plan):
    """Evidence and coverage belong to the funds_secured gate condition, not to completeness."""
    plan["funding"]["sources"] = [{"source": "other", "amount": 1}]
    assert missing_items(plan, ROSTER) == []


# --- every finding, all at once ----------------------------------------------------------------------


def broken(plan: dict[str, Any]) -> dict[str, Any]:
    bad = copy.deepcopy(plan)
    bad["profile"]["ownership"] = ""
    bad["decapacity"]["capacity_withdrawn"] = -1
    bad["decapacity"]["unit"] = ""
    bad["workforce"].update(on_roll=10, excluded=3, exclusion_reasons="")
    bad["channels"]["termination"] = "x"
    bad["funding"]["required"]["training"] = "abc"
    bad["funding"]["sources"].append({"source": "lottery", "amount": -1})
    bad["risk_assessment"]["open_disputes"] = True
    bad["risk_assessment"]["emergency_plan"] = ""
    return bad


def test_every_problem_is_reported_at_once_in_check_order(plan):
    found = missing_items(broken(plan), ROSTER)
    assert keys(found) == [
        ("profile", "ownership", "required"),
        ("decapacity", "capacity_withdrawn", "positive_number"),
        ("decapacity", "unit", "required"),
        ("workforce", "in_scope", "not_above_on_roll"),
        ("workforce", "exclusion_reasons", "required_when_excluded"),
        ("channels", "termination", "non_negative_integer"),
        ("channels", "total", "sum_equals_in_scope"),
        ("funding", "required.training", "non_negative_amount"),
        ("funding", "sources[3].source", "known_source"),
        ("funding", "sources[3].amount", "non_negative_amount"),
        ("risk_assessment", "open_disputes", "non_negative_integer"),
        ("risk_assessment", "emergency_plan", "required"),
    ]


@pytest.mark.parametrize("content", ["empty", "broken", "sections_removed"])
def test_every_finding_has_a_chinese_message_naming_its_section(plan, content):
    if content == "empty":
        found = missing_items({})
    elif content == "broken":
        found = missing_items(broken(plan), ROSTER)
    else:
        found = [f for section in SECTIONS for f in missing_items({k: v for k, v in plan.items() if k != section})]
    assert found
    for finding in found:
        assert finding.section in SECTIONS
        assert finding.field
        assert finding.rule
        assert CJK.search(finding.message), finding
        assert finding.message.startswith(SECTIONS[finding.section][:4]), finding
        assert finding.message.endswith("。"), finding
        assert finding.as_dict() == {
            "section": finding.section,
            "field": finding.field,
            "rule": finding.rule,
            "message": finding.message,
        }


def test_checking_does_not_change_the_plan(plan):
    bad = broken(plan)
    before = copy.deepcopy(bad)
    missing_items(bad)
    assert bad == before


# --- extensibility ---------------------------------------------------------------------------------


def test_checks_are_extensible(plan):
    original = list(CHECKS)

    def check_hotline(content: dict[str, Any]) -> Iterator[Finding]:
        if not content.get("risk_assessment", {}).get("hotline"):
            yield Finding("risk_assessment", "hotline", "required", "风险评估：尚未填报咨询电话。")

    CHECKS.append(check_hotline)
    try:
        assert keys(missing_items(plan, ROSTER)) == [("risk_assessment", "hotline", "required")]
        plan["risk_assessment"]["hotline"] = "0311-12333"
        assert missing_items(plan, ROSTER) == []
    finally:
        CHECKS[:] = original
    assert completeness.CHECKS is CHECKS
    assert list(completeness.CHECKS) == original
    assert missing_items(plan, ROSTER) == []  # restored: the extra rule no longer applies


def test_an_appended_checker_runs_after_the_built_in_ones(plan):
    original = list(CHECKS)
    del plan["risk_assessment"]

    def check_last(content: dict[str, Any]) -> Iterator[Finding]:
        yield Finding("extra", "field", "rule", "附加检查。")

    CHECKS.append(check_last)
    try:
        found = missing_items(plan, ROSTER)
    finally:
        CHECKS[:] = original
    assert [f.section for f in found] == ["risk_assessment"] * 3 + ["extra"]
    assert missing_items(plan, ROSTER)[-1].section == "risk_assessment"


# --- robustness: rows and sources that are not what the form sends -------------------------------------
# The service checks that each section is an object (roster: a list) but not the rows inside it; the
# rules report every problem as a Finding, "never a generic error" (domain.md §2 step 1).


@pytest.mark.parametrize("section", CONTENT_SECTIONS)
@pytest.mark.parametrize("value", ["abc", 1, True])
def test_a_malformed_section_reads_as_missing(plan, section, value):
    plan[section] = value
    assert keys(missing_items(plan, ROSTER)) == REMOVED[section]


@pytest.mark.parametrize("section", CONTENT_SECTIONS)
def test_a_section_given_as_a_list_reads_as_missing(plan, section):
    plan[section] = [plan[section]]
    assert keys(missing_items(plan, ROSTER)) == REMOVED[section]


# --- the imported roster against the plan -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"in_scope": 19}, [("roster", "rows", "count_equals_in_scope")]),
        ({"by_channel": {**ROUND_ROBIN, "termination": 2, "public_welfare": 4}},
         [("roster", "channels.public_welfare", "count_equals_channel"),
          ("roster", "channels.termination", "count_equals_channel")]),
        ({"unjustified": 2}, [("roster", "justification", "justification_required")]),
        ({"unreachable_unfiled": 1}, [("roster", "bureau_filing", "unreachable_filing")]),
        ({"severance_missing": 1}, [("roster", "monthly_wage", "severance_computable")]),
        ({"severance_total": Decimal("120000.01")}, [("funding", "required.severance", "equals_computed")]),
        ({"mass_layoff": True}, [("timetable", "union_explanation_date", "thirty_days_notice")]),
    ],
)  # fmt: skip
def test_the_roster_is_cross_checked_against_the_plan(plan, change, expected):
    assert keys(missing_items(plan, replace(ROSTER, **change))) == expected


def test_a_mass_layoff_needs_thirty_days_notice_to_the_union(plan):
    layoff = replace(ROSTER, mass_layoff=True, terminations=25)
    plan["timetable"].update(union_explanation_date="2018-08-01", termination_date="2018-08-30")
    assert keys(missing_items(plan, layoff)) == [("timetable", "union_explanation_date", "thirty_days_notice")]
    plan["timetable"]["termination_date"] = "2018-08-31"
    assert missing_items(plan, layoff) == []


def test_the_sample_plan_of_a_mass_layoff_gives_the_thirty_days_notice():
    steel = Enterprise(name="冀东示范钢铁有限公司", uscc="91130283MA07L5RX1B", industry="steel",
                       region_code="130283", headcount=1200, zombie=False)  # fmt: skip
    layoff = replace(ROSTER, mass_layoff=True, terminations=166)  # 1,000 workers, a sixth of them terminated

    def timetable_findings(content: dict[str, Any]) -> list[Finding]:
        return [f for f in check_roster(content, layoff) if f.section == "timetable"]

    assert timetable_findings(sample_content(steel, workers=WORKERS))  # 3 terminations: no dates given
    assert timetable_findings(sample_content(steel, workers=1000)) == []


def test_arrears_in_the_funding_match_the_arrears_section(plan):
    plan["arrears"].update(wages=30000, social_insurance="12000.50")
    assert keys(missing_items(plan, ROSTER)) == [("funding", "required.arrears", "equals_arrears")]
    plan["funding"]["required"]["arrears"] = "42000.50"
    plan["funding"] = fund_fully(plan["funding"])
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize("ground", ["mutual_agreement", "economic_layoff", "objective_change"])
def test_a_known_termination_ground_is_complete(plan, ground):
    plan["severance"].update(termination_ground=ground, enterprise_average_wage="5200.00")
    assert missing_items(plan, ROSTER) == []


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [("termination_ground", "dismissal", "known_termination_ground"), ("termination_ground", "", "known_termination_ground"),
     ("termination_ground", ["economic_layoff"], "known_termination_ground"),
     ("enterprise_average_wage", "-1", "non_negative_amount"), ("enterprise_average_wage", "很多", "non_negative_amount")],
)  # fmt: skip
def test_a_wrong_termination_ground_or_enterprise_wage_is_a_finding(plan, field, value, rule):
    plan["severance"][field] = value
    finding = only(missing_items(plan, ROSTER), "severance", field, rule)
    assert "经济补偿" in finding.message
