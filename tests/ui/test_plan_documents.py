"""The documents page of a plan: which official PDFs exist (and why the others do not yet), each served by
the web as the API serves it, and the case file; only for those who see the plan."""

from __future__ import annotations

import io
import zipfile

from tests import flow, pdf
from tests.ui.forms_support import block
from tests.web.test_permissions import plan_at


def test_a_draft_has_no_documents_yet_and_says_why(api, browser, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan['id']}/documents").get_data(as_text=True)
    assert "尚未经职工代表大会（职工大会）表决" in block(page, "missing-congress-vote")
    assert "尚未经人社部门审核" in block(page, "missing-review-opinion")
    assert "未交联合工作组办理" in block(page, "missing-working-group")
    assert "方案尚未公布" in block(page, "missing-published-plan")
    assert 'data-testid="pdf-' not in page
    assert f'href="/plans/{plan["id"]}/case-file.zip"' in page  # the case file exists from the start
    early = clerk.get(f"/plans/{plan['id']}/documents/published-plan.pdf")
    assert early.status_code == 409
    assert "方案尚未公布，还没有公布文本" in early.get_data(as_text=True)


def test_a_published_plan_lists_its_documents_and_each_downloads_as_from_the_api(api, browser, world):
    plan = plan_at(api, world, "steel", "published")
    union = browser("union")  # anyone who sees the plan
    page = union.get(f"/plans/{plan['id']}/documents").get_data(as_text=True)
    assert "共 1 份" in block(page, "kind-congress-vote")
    assert "表决通过" in block(page, "kind-congress-vote")
    assert "审核同意" in block(page, "kind-review-opinion")
    assert "已公布" in block(page, "kind-published-plan")
    for kind in ("congress-vote", "review-opinion", "published-plan"):
        assert f'data-testid="pdf-{kind}-1"' in page
    web = union.get(f"/plans/{plan['id']}/documents/review-opinion.pdf?n=1")
    from_api = api("union").get(f"/plans/{plan['id']}/documents/review-opinion.pdf", query_string={"n": "1"})
    assert web.status_code == 200
    assert web.mimetype == "application/pdf"
    assert web.headers["Content-Disposition"] == from_api.headers["Content-Disposition"]
    assert pdf.flat(web.data) == pdf.flat(from_api.data)
    assert "审核意见书" in pdf.flat(web.data)
    published = union.get(f"/plans/{plan['id']}/documents/published-plan.pdf")
    assert "公布文本" in pdf.flat(published.data)
    case = union.get(f"/plans/{plan['id']}/case-file.zip")
    assert case.status_code == 200
    assert case.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(case.data)) as archive:
        assert {"manifest.json", "SHA256SUMS"} <= set(archive.namelist())
    assert case.headers["Content-Disposition"].startswith(f"attachment; filename=plan-{plan['id']}-case-file.zip;")


def test_a_wrong_document_number_or_kind_is_told(api, browser, world):
    plan = plan_at(api, world, "steel", "published")
    clerk = browser("clerk")
    assert clerk.get(f"/plans/{plan['id']}/documents/congress-vote.pdf?n=7").status_code == 404
    wrong = clerk.get(f"/plans/{plan['id']}/documents/congress-vote.pdf?n=first")
    assert wrong.status_code == 422
    assert "查询参数“n”须为1至2147483647之间的整数" in wrong.get_data(as_text=True)
    assert clerk.get(f"/plans/{plan['id']}/documents/minutes.pdf").status_code == 404


def test_someone_who_does_not_see_the_plan_gets_nothing(api, browser, world):
    plan = plan_at(api, world, "steel", "published")
    outsider = browser("clerk_small")
    for path in ("documents", "documents/review-opinion.pdf", "case-file.zip"):
        assert outsider.get(f"/plans/{plan['id']}/{path}").status_code == 404, path
    assert browser(None).get(f"/plans/{plan['id']}/documents").status_code == 302  # to the login page


def test_the_case_file_is_offered_only_to_those_who_see_personal_data(api, browser, world):
    plan = plan_at(api, world, "steel", "published")
    supervisor = browser("supervisor")
    page = supervisor.get(f"/plans/{plan['id']}/documents").get_data(as_text=True)
    assert 'data-testid="case-file"' not in page
    assert "仅向本企业、工会和人社部门提供" in block(page, "case-file-refused")
    assert 'data-testid="pdf-published-plan-' in page  # the documents stay open to the supervisor
    refused = supervisor.get(f"/plans/{plan['id']}/case-file.zip")
    assert refused.status_code == 403
    assert "导出卷宗：职工个人信息仅向本企业、工会和人社部门提供。" in refused.get_data(as_text=True)
    assert browser("reviewer").get(f"/plans/{plan['id']}/case-file.zip").mimetype == "application/zip"
