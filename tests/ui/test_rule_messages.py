"""The rules' findings and the gate's reasons read in the reader's language: Chinese as the core
writes them (API, CLI, trail), English on the English interface, with no Chinese left over."""

from __future__ import annotations

import copy
import json
import pickle
import re
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import force_locale

from app.web.i18n import say
from approvals.i18n import N_, Counted, Listing, Np_, Text, restored, stored
from approvals.rules.completeness import missing_items
from approvals.rules.congress import GENERAL_ASSEMBLY, VoteCounts, vote_problems
from approvals.rules.funding import FundingStatus
from approvals.rules.gate import GateFacts, gate_conditions
from approvals.rules.issues import Finding
from approvals.rules.roster import RosterSummary
from tests import flow

MONDAY = datetime(2026, 12, 7, 2, 0)  # 10:00 in China
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# Content that breaks every rule that looks at values, not only at presence.
BAD = {
    "workforce": {"on_roll": 10, "in_scope": 12, "excluded": 2},
    "channels": {"transfer_training": -1, "internal_retirement": 3},
    "funding": {"required": {"severance": "x"}, "sources": ["oops", {"source": "lottery", "amount": "-5"}]},
    "severance": {"termination_ground": "whim", "enterprise_average_wage": "a lot", "pre2008_method": "local"},
    "arrears": {"wages": "100", "social_insurance": "50"},
}
ROSTER = RosterSummary(workers=20, in_scope=9, by_channel={"termination": 9}, terminations=9, mass_layoff=True,
                       severance_total=Decimal("1000.00"), severance_missing=2, unjustified=1, unreachable_unfiled=3,
                       computed_on={"reference_date": "2018-06-30"})  # fmt: skip


def findings() -> list[Finding]:
    return missing_items({}, None) + missing_items(BAD, ROSTER)


def test_the_findings_keep_their_chinese_text():
    found = findings()
    assert len({f.rule for f in found}) >= 20  # the samples reach most rules
    messages = [f.message for f in found]
    assert "企业基本情况：缺少“企业名称”。" in messages
    assert "职工基本情况：需安置职工数（12）不得多于在册职工数（10）。" in messages
    assert "资金保障：所需“拖欠工资及社会保险费”应为150元（拖欠工资与欠缴社会保险费之和）。" in messages
    assert all(isinstance(m, Text) for m in messages)


def test_every_finding_reads_in_english_without_chinese_left(app):
    with app.test_request_context(), force_locale("en"):
        english = {(f.rule, f.field): say(f.message) for f in findings()}
    leftover = {rule: text for rule, text in english.items() if CJK.search(text)}
    assert not leftover
    assert english["not_above_on_roll", "in_scope"] == (
        "Workforce: the workers to be placed (12) may not exceed the workers on the books (10)."
    )
    assert english["required", "name"] == 'Enterprise profile: "Enterprise name" is missing.'  # labels translated too
    assert (
        "mutual_agreement (Termination by mutual agreement (Labour Contract Law Art 36)), "
        in (english["known_termination_ground", "termination_ground"])
    )  # a listing joined as English joins
    assert "segmented (In two segments" in english["known_pre2008_method", "pre2008_method"]
    assert english["computed_on_current_terms", "severance"].startswith("Real-name roster: the severance terms")


def test_every_vote_problem_reads_in_english(app):
    found = [
        *vote_problems(VoteCounts("show_of_hands", 0, 5, 4, 3, -1), 50),
        *vote_problems(VoteCounts(GENERAL_ASSEMBLY, 100, 120, 100, 10, 10), 1000),
    ]
    assert {p.rule for p in found} == {"known_body_type", "congress_required", "non_negative", "positive",
                                       "present_not_above_total", "votes_not_above_present"}  # fmt: skip
    with app.test_request_context(), force_locale("en"):
        english = {p.rule: say(p.message) for p in found}
    assert not [text for text in english.values() if CJK.search(text)]
    assert english["congress_required"] == (
        "The enterprise has 1000 workers: from 100 workers a workers' congress must be held, not a general meeting of workers."
    )
    assert english["positive"] == "The number of all workers' representatives must be greater than 0."


def test_every_gate_reason_reads_in_english(app):
    cases = [
        GateFacts("h1", [], FundingStatus(Decimal(100), Decimal(100), ()), "h1", "h1", True, "h1", "h1",
                  notice_closes_at=datetime(2026, 12, 20, 6, 30), now=MONDAY, open_objections=("ABCD2345EFGH",)),
        GateFacts("h2", findings(), FundingStatus(Decimal(0), Decimal(0), (0, 2)), None, None, True, None, None),
        GateFacts("h3", [], FundingStatus(Decimal(500), Decimal(200), ()), "h1", None, False, None, None,
                  notice_closes_at=datetime(2026, 12, 1), now=MONDAY),
        GateFacts("h4", [], FundingStatus(Decimal(500), Decimal(200), ()), "h1", None, False, None, None,
                  notice_closes_at=MONDAY + timedelta(hours=2), now=MONDAY, waits_for_notice=False),
        GateFacts("h5", [], FundingStatus(Decimal(500), Decimal(200), ()), "h1", None, False, None, None,
                  notice_closes_at=MONDAY + timedelta(hours=2), now=MONDAY,
                  open_objections=tuple(f"ABCD2345EF{c}{c}" for c in "GHJKMNP")),
        GateFacts("h6", [], FundingStatus(Decimal(500), Decimal(200), ()), "h1", None, False, None, None,
                  waits_for_notice=False),
    ]  # fmt: skip
    with app.test_request_context(), force_locale("en"):
        reasons = [say(c.reason) for facts in cases for c in gate_conditions(facts)]
    assert not [r for r in reasons if CJK.search(r)]
    assert (
        reasons[9]
        == "No funding requirement entered (total 0 yuan): funds cannot be found secured; Funding sources 1, 3 lack evidence."
    )
    assert reasons[8].startswith(f'{len(findings())} items missing: Enterprise profile: "')
    assert reasons[17] == "Funds required 500.00 yuan, secured 200.00 yuan, gap 300.00 yuan."
    with app.test_request_context(), force_locale("en"):
        large = say(gate_conditions(GateFacts("h", [], FundingStatus(Decimal("842700.00"), Decimal("842700.00"), ()),
                                              None, None, False, None, None))[1].reason)  # fmt: skip
    assert (
        large == "Funds required 842,700.00 yuan, secured 842,700.00 yuan; every source is evidenced."
    )  # as the pages write amounts
    assert reasons[18] == "The plan was changed after the vote passed: it must be voted on again."
    chinese = [c.reason for facts in cases for c in gate_conditions(facts)]
    assert reasons[6:8] == [
        "The public notice runs until 2026-12-20 14:30: 9 working days left.",
        "1 objection not yet closed: receipt code ABCD-2345-EFGH.",
    ]
    assert reasons[14] == "The public notice has not begun: the plan is not yet published."
    assert reasons[22] == "The public notice ended on 2026-12-01 08:00."
    assert reasons[23] == "No objection is open."
    assert reasons[30] == (
        "The public notice runs until 2026-12-07 12:00; by this system's setting, execution need not wait for its end."
    )
    assert reasons[38] == "The public notice runs until 2026-12-07 12:00 and has not yet ended."
    assert reasons[39].startswith("7 objections not yet closed: receipt codes ABCD-2345-EFGG, ")
    assert reasons[39].endswith(" and more.")
    assert reasons[46] == "By this system's setting, execution need not wait for the public notice to end."
    assert chinese[9] == "尚未填报所需资金（合计为0元），无法认定资金保障到位；第1、3项资金来源缺少证明材料。"


def test_a_text_survives_copies_and_plain_strings_pass_through(app):
    forms = Np_("第%(numbers)s项资金来源缺少证明材料", "第%(numbers)s项资金来源缺少证明材料")
    text = Counted(forms, 2, numbers=Listing([1, 2], N_("、")))
    for copied in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):  # noqa: S301 -- our own bytes
        assert copied == "第1、2项资金来源缺少证明材料"
        with app.test_request_context(), force_locale("en"):
            assert say(copied) == "Funding sources 1, 2 lack evidence"
    with app.test_request_context(), force_locale("en"):
        assert say(Counted(forms, 1, numbers=Listing([3], N_("、")))) == "Funding source 3 lacks evidence"
    with app.test_request_context(), force_locale("en"):
        assert say("用户写的话") == "用户写的话"  # a stored message or a user's words: as it is


def test_the_english_gate_tab_and_review_checklist_say_the_reasons_in_english(api, browser, world, complete_content):
    content = complete_content(world.steel)
    content["workforce"]["on_roll"] = 0
    plan = flow.create(api("clerk"), content)
    clerk = browser("clerk")
    clerk.get("/lang/en")
    page = clerk.get(f"/plans/{plan['id']}?tab=gate").get_data(as_text=True)
    assert "1 item missing: Workforce: the number of workers on the books must be a positive whole number." in page
    assert "The current revision has not been passed by the workers&#39; congress or general meeting." in page
    assert " (Enterprise clerk)</a>" in page  # punctuation in the reader's language: not “（Enterprise clerk）”
    assert "（" not in page.split('data-testid="who"', 1)[1].split("</a>")[0]
    chinese = browser("clerk").get(f"/plans/{plan['id']}?tab=gate").get_data(as_text=True)
    assert "（企业经办人）</a>" in chinese
    assert "职工基本情况：在册职工数须为正整数。" in chinese


def test_a_counted_message_takes_the_plural_form_of_its_number_and_keeps_it_when_stored(app):
    """rules/approval.py: "1 verification", "3 verifications"; Chinese has one form. A report kept as JSON
    (app/web/roster_upload.py) keeps the number that chooses the form."""
    one = Counted(Np_("已记录核查%(count)s次。", "已记录核查%(count)s次。"), 1, count=1)
    three = Counted(Np_("已记录核查%(count)s次。", "已记录核查%(count)s次。"), 3, count=3)
    assert (one, three) == ("已记录核查1次。", "已记录核查3次。")
    with app.test_request_context(), force_locale("en"):
        assert say(one) == "1 verification recorded."
        assert say(three) == "3 verifications recorded."
        kept = json.loads(json.dumps(stored(Text(N_("第%(row)s行：%(message)s"), row=2, message=three))))
        assert say(restored(kept)) == "Row 2: 3 verifications recorded."
    with app.test_request_context(), force_locale("zh_CN"):
        assert say(restored(kept)) == "第2行：已记录核查3次。"


def test_counted_roster_findings_read_in_english_singular_and_plural(app):
    """English says "1 unreachable worker lacks" and "3 unreachable workers lack" (ngettext), never "worker(s)"."""
    one = RosterSummary(workers=5, in_scope=5, by_channel={"termination": 5}, terminations=5, unreachable_unfiled=1,
                        severance_missing=1, computed_on={"reference_date": "2018-06-30"})  # fmt: skip
    with app.test_request_context(), force_locale("en"):
        said = {
            (summary.unreachable_unfiled, f.rule): say(f.message)
            for summary in (one, ROSTER)
            for f in missing_items(BAD, summary)
            if f.rule in ("unreachable_filing", "severance_computable")
        }
    assert said[1, "unreachable_filing"].startswith("Real-name roster: 1 unreachable worker lacks recorded contact")
    assert said[3, "unreachable_filing"].startswith("Real-name roster: 3 unreachable workers lack recorded contact")
    assert "for 1 terminated worker (hire date" in said[1, "severance_computable"]
    assert "for 2 terminated workers (hire date" in said[3, "severance_computable"]
