"""The plan's severance terms (劳动合同法第九十七条第三款, 劳部发〔1994〕481号): the clerk states the ground for
ending contracts and how the service before 2008 is counted; the plan page and the published plan state
them with the cap rules applied and the 481号 medical subsidies."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
from babel.numbers import format_decimal
from sqlalchemy import select

from app.documents.plan_text import _severance_items
from app.extensions import db
from approvals.demo import sample_content
from approvals.models import RosterWorker
from approvals.rules.severance import (
    ART47_RULE,
    MEDICAL_SUBSIDY_RULE,
    PRE2008_RULE,
    WHOLE_SERVICE_RULE,
)
from tests import flow, pdf
from tests.conftest import reload
from tests.ui.forms_support import block
from tests.ui.test_enterprise_drafting import save
from tests.web.test_documents import get_pdf
from tests.web.test_permissions import plan_at


def test_the_clerk_states_the_ground_and_the_method_and_an_untouched_default_states_nothing(browser, api, world):
    plan = flow.create(api("clerk"), sample_content(world.steel))
    clerk = browser("clerk")
    form = clerk.get(f"/plans/{plan['id']}/draft?section=severance").get_data(as_text=True)
    for label in ("解除或终止劳动合同的依据", "用人单位被依法宣告破产（劳动合同法第四十四条第四项）",
                  "2008年前工作年限计算办法", "按劳动合同法第四十七条统一计算（当地做法）", "企业月平均工资（元）"):  # fmt: skip
        assert label in form, label
    before = reload(plan["id"]).content_hash
    SEVERANCE = {key: str(value) for key, value in plan["content"]["severance"].items()}  # as stored  # noqa: N806
    defaults = SEVERANCE | {"termination_ground": "mutual_agreement", "pre2008_method": "segmented",
                            "enterprise_average_wage": ""}  # fmt: skip
    assert save(clerk, plan["id"], "severance", defaults).status_code == 302
    stored = reload(plan["id"])
    assert "termination_ground" not in stored.content["severance"]
    assert "pre2008_method" not in stored.content["severance"]
    assert stored.content_hash == before  # the defaults the plan already followed: nothing new is stated
    chosen = SEVERANCE | {"termination_ground": "closure", "pre2008_method": "art47_whole",
                          "enterprise_average_wage": "5,200"}  # fmt: skip
    assert save(clerk, plan["id"], "severance", chosen).status_code == 302
    terms = reload(plan["id"]).content["severance"]
    assert (terms["termination_ground"], terms["pre2008_method"], terms["enterprise_average_wage"]) == (
        "closure", "art47_whole", "5200")  # fmt: skip
    refused = save(clerk, plan["id"], "severance", chosen | {"pre2008_method": "whatever"})
    assert refused.status_code == 422
    assert reload(plan["id"]).content["severance"]["pre2008_method"] == "art47_whole"


def section(page: str, key: str) -> str:
    return " ".join(lxml.html.fromstring(page).get_element_by_id(f"section-{key}").text_content().split())


def test_the_plan_page_states_the_method_the_cap_rules_and_the_medical_subsidy(browser, api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    page = browser("clerk").get(f"/plans/{plan['id']}").get_data(as_text=True)
    shown = section(page, "severance")
    assert "协商一致解除劳动合同（劳动合同法第三十六条）" in shown  # the default ground, stated
    assert "分段计算（劳部发〔1994〕481号，默认）" in shown
    assert "医疗补助费" not in block(page, "severance-summary")
    rules = block(page, "severance-rules")
    for rule in (PRE2008_RULE, ART47_RULE, MEDICAL_SUBSIDY_RULE):
        assert rule in rules
    assert WHOLE_SERVICE_RULE not in rules
    # One terminated worker's contract ends for a serious illness (劳部发〔1994〕481号第六条).
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"],
                                                           RosterWorker.channel == "termination")).first()  # fmt: skip
    assert worker is not None
    edited = api("clerk").patch(f"/plans/{plan['id']}/roster/{worker.id_number}",
                                json={"termination_ground": "患病或非因工负伤", "illness_severity": "重病"})  # fmt: skip
    assert edited.status_code == 200, edited.json
    db.session.expire_all()
    subsidy = db.session.get(RosterWorker, worker.id).medical_subsidy
    assert subsidy is not None
    assert subsidy > 0
    stale = "computed_on_current_terms"
    assert stale not in {m["rule"] for m in flow.plan(api("clerk"), plan["id"])["missing"]}
    terms = {**plan["content"]["severance"], "pre2008_method": "art47_whole"}
    assert api("clerk").patch(f"/plans/{plan['id']}", json={"content": {"severance": terms}}).status_code == 200
    # The roster's amounts were computed on the segmented count: the plan may not go on until it is imported again.
    assert stale in {m["rule"] for m in flow.plan(api("clerk"), plan["id"])["missing"]}
    page = browser("clerk").get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert "按劳动合同法第四十七条统一计算（当地做法）" in section(page, "severance")
    rules = block(page, "severance-rules")
    assert WHOLE_SERVICE_RULE in rules
    assert PRE2008_RULE not in rules  # 481号's 12-month cap does not apply to a whole-service count
    summary = block(page, "severance-summary")
    assert (
        f"另有医疗补助费{format_decimal(subsidy, '#,##0.00', locale='zh_CN')}元（劳部发〔1994〕481号第六条）" in summary
    )


def test_the_published_plan_states_the_ground_the_method_the_rules_and_the_leavers_by_ground(api, world):
    """The published text (公布文本) states what the workers were told they are owed, and on what rules."""
    plan = plan_at(api, world, "steel", "published")
    text = pdf.flat(get_pdf(api("supervisor"), plan["id"], "published-plan").data)
    for expected in ("解除或终止劳动合同的依据：协商一致解除劳动合同（劳动合同法第三十六条）",
                     "2008年前工作年限计算办法：分段计算（劳部发〔1994〕481号，默认）",
                     "解除或终止劳动合同人数：协商一致解除劳动合同（劳动合同法第三十六条）9人",
                     "计算和封顶规则：一是2008年1月1日前的工作年限", "劳动合同法第四十七条", "劳部发〔1994〕481号第六条"):  # fmt: skip
        assert expected.replace("：", "：") in text, expected


def test_the_published_severance_items_count_each_ground_and_sum_the_medical_subsidies():
    """劳部发〔1994〕481号第六条 medical subsidies of the roster snapshot, and the leavers by their own ground."""
    rows = {
        "1": {"channel": "termination", "in_scope": True, "termination_ground": "illness", "medical_subsidy": "27000.00"},
        "2": {"channel": "termination", "in_scope": True, "termination_ground": "illness", "medical_subsidy": "36000.00"},
        "3": {"channel": "self_employment", "in_scope": True},
        "4": {"channel": "internal_retirement", "in_scope": True},
        "5": {"channel": "termination", "in_scope": False, "medical_subsidy": "9.00"},
    }  # fmt: skip
    items = dict(_severance_items({"termination_ground": "bankruptcy", "pre2008_method": "art47_whole",
                                   "enterprise_average_wage": "5200", "reference_date": "2018-07-31"}, rows))  # fmt: skip
    assert items["解除或终止劳动合同的依据"] == "用人单位被依法宣告破产（劳动合同法第四十四条第四项）"
    assert items["2008年前工作年限计算办法"] == "按劳动合同法第四十七条统一计算（当地做法）"
    assert items["企业月平均工资"] == "5,200.00元"
    assert items["解除或终止劳动合同人数"] == (
        "患病或者非因工负伤（劳动合同法第四十条第一项）2人；用人单位被依法宣告破产（劳动合同法第四十四条第四项）1人"
    )
    assert items["计算和封顶规则"] == "一是" + WHOLE_SERVICE_RULE
    assert items["医疗补助费（元）"].startswith(f"{Decimal('63000.00'):,.2f}（2人，劳部发〔1994〕481号第六条")
    assert "termination_ground" not in items  # the section's own keys are stated once, in words
