"""The funding evidence files open from every page that shows the plan (plan page, review page, documents
page), for everyone who may see the plan and for nobody else: the reviewer checks that funds are secured
(冀人社发〔2018〕38号 §五: "资金保障不到位……不得实施") from the files themselves."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import lxml.html
import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.models import FundingEvidence, Plan
from approvals.rules.funding import funding_status
from tests import flow
from tests.ui.forms_support import block
from tests.web.test_permissions import USERS, plan_at, relation, visible_to


def stored_files(plan_id: int) -> list[FundingEvidence]:
    return list(db.session.scalars(
        select(FundingEvidence).where(FundingEvidence.plan_id == plan_id).order_by(FundingEvidence.id)))  # fmt: skip


def evidence_links(html: str, testid: str) -> dict[str, str]:
    """The evidence files the element marked `testid` links to: their name → where the link goes."""
    found = lxml.html.fromstring(html).xpath("//*[@data-testid=$id]//a[starts-with(@data-testid, 'evidence-file-')]",
                                             id=testid)  # fmt: skip
    return {a.text_content().strip(): a.get("href") for a in found}


def test_the_reviewer_opens_each_file_from_the_plan_the_review_and_the_documents_page(browser, api, world):
    plan = plan_at(api, world, "zombie", "review")
    files = stored_files(plan["id"])
    assert len(files) == 2
    province = browser("province")
    pages = {
        "funding-sources": province.get(f"/plans/{plan['id']}?tab=content"),
        "funding": province.get(f"/plans/{plan['id']}/review"),
        "evidence": province.get(f"/plans/{plan['id']}/documents"),
    }
    expected = {f.filename: f"/plans/{plan['id']}/funding/evidence/{f.id}" for f in files}
    for testid, response in pages.items():
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert evidence_links(html, testid) == expected, testid
        assert "✔ 已上传 1 份" in block(html, testid)
    for evidence in files:
        opened = province.get(expected[evidence.filename])
        assert opened.status_code == 200
        assert opened.mimetype == "application/pdf"
        assert hashlib.sha256(opened.data).hexdigest() == evidence.sha256


def test_a_source_without_a_file_says_it_does_not_count(browser, api, world):
    plan = plan_at(api, world, "steel", "drafting")
    clerk = browser("clerk")
    first = stored_files(plan["id"])[0]
    assert clerk.post(f"/plans/{plan['id']}/funding/evidence/{first.id}/delete").status_code == 302
    for url, testid in ((f"/plans/{plan['id']}", "evidence-source-1"), (f"/plans/{plan['id']}/documents", "evidence")):
        html = clerk.get(url).get_data(as_text=True)
        assert "✘ 未上传证明材料，不计入已落实资金" in block(html, testid)
        assert first.filename not in block(html, testid)


def test_the_totals_count_only_evidenced_sources_on_every_page_and_in_the_gate(browser, api, world):
    """A source without its file is not secured (domain.md §3.1): the plan page, the drafting page and the gate's
    reason (the API's) all say the same secured total and gap, never "gap 0" beside "row 1 lacks evidence"."""
    plan = plan_at(api, world, "steel", "drafting")
    clerk = browser("clerk")
    first = stored_files(plan["id"])[0]
    assert clerk.post(f"/plans/{plan['id']}/funding/evidence/{first.id}/delete").status_code == 302
    stored = db.session.get(Plan, plan["id"])
    db.session.refresh(stored)
    sources = stored.content["funding"]["sources"]
    status = funding_status(stored.content["funding"])
    assert status.uncounted == Decimal(str(sources[0]["amount"])) > 0
    assert status.secured == Decimal(str(sources[1]["amount"]))
    assert status.gap == status.uncounted
    secured, gap, uncounted = (f"{v:,.2f}" for v in (status.secured, status.gap, status.uncounted))
    overview = clerk.get(f"/plans/{plan['id']}?tab=content").get_data(as_text=True)
    assert f"{secured} 元" in block(overview, "funding-secured")
    assert f"{uncounted} 元 · 第 1 项来源" in block(overview, "funding-uncounted")
    assert f"{gap} 元" in block(overview, "funding-status").split("资金缺口")[1]
    draft = clerk.get(f"/plans/{plan['id']}/draft?section=funding").get_data(as_text=True)
    whole = [f"{v:,.0f}" for v in (status.secured, status.gap, status.uncounted)]  # the drafting page's |number
    assert "已落实 {} 元，缺口 {} 元".format(*whole) in block(draft, "funding-status")
    assert f"第 1 项来源缺少证明材料，其 {whole[2]} 元不计入已落实资金" in block(draft, "funding-uncounted")
    gate = {c["key"]: c for c in flow.plan(api("clerk"), plan["id"])["gate"]}
    assert f"已落实{status.secured:.2f}元，缺口{status.gap:.2f}元" in gate["funds_secured"]["reason"]


@pytest.mark.parametrize("user", USERS, ids=lambda u: f"{u}-{relation(u, 'zombie', 'working_group')}")
def test_whoever_may_see_the_plan_opens_its_files_and_nobody_else(browser, api, world, user):
    plan = plan_at(api, world, "zombie", "working_group")
    files = stored_files(plan["id"])
    client = browser(user)
    documents = client.get(f"/plans/{plan['id']}/documents")
    downloads = [client.get(f"/plans/{plan['id']}/funding/evidence/{f.id}") for f in files]
    if user in visible_to("zombie", "working_group"):
        assert documents.status_code == 200
        assert set(evidence_links(documents.get_data(as_text=True), "evidence")) == {f.filename for f in files}
        assert [d.status_code for d in downloads] == [200, 200]
        assert [hashlib.sha256(d.data).hexdigest() for d in downloads] == [f.sha256 for f in files]
    else:  # the plan does not exist for them, nor do its files
        assert documents.status_code == 404
        assert [d.status_code for d in downloads] == [404, 404]
        assert not any(f.filename in d.get_data(as_text=True) for d in downloads for f in files)
