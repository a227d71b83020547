"""The funding evidence files open from every page that shows the plan (plan page, review page, documents
page), for everyone who may see the plan and for nobody else: the reviewer checks that funds are secured
(冀人社发〔2018〕38号 §五: "资金保障不到位……不得实施") from the files themselves."""

from __future__ import annotations

import hashlib

import lxml.html
import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.models import FundingEvidence
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
