"""A returned plan in Chromium (issue 12 §3): the clerk reads the reasons where the work is (draft page, home,
task list, plan page), answers each one at resubmission, and the reviewer reads the reasons with the answers
next to the diff. The browser's requests are answered by the Flask test client (tests/ui/forms_support.py)."""

from __future__ import annotations

from app.extensions import db, get_engine
from tests import flow, stages
from tests.ui.forms_support import ORIGIN, page_for

REASONS = ["内部退养人员协议未附，请补充。", "第二项资金来源的批复文件不清晰，请重新上传。"]


def _returned(api, world) -> int:
    plan = stages.plan_at(db.session, get_engine(), world, "review")
    db.session.commit()
    flow.review(api("province"), plan.id, "return", REASONS)
    return plan.id


def _fits(page, width: int) -> bool:
    """Nothing wider than the window: no sideways scrolling at this width."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_clerk_reads_the_reasons_on_the_draft_home_tasks_and_plan_pages(api, browser, world, chromium):
    plan_id = _returned(api, world)
    page = page_for(chromium, browser("clerk_zombie"))
    for path, test_id in ((f"/plans/{plan_id}/draft", "return-reasons"), ("/", f"reasons-{plan_id}"),
                          ("/tasks", f"task-reasons-{plan_id}"), (f"/plans/{plan_id}", "return-reasons")):  # fmt: skip
        page.goto(f"{ORIGIN}{path}")
        shown = page.get_by_test_id(test_id)
        assert shown.is_visible(), path
        assert all(reason in shown.inner_text() for reason in REASONS), path
    assert "人社部门退回" in page.get_by_test_id("return-reasons").inner_text()
    page.get_by_test_id("answer-reasons").click()
    assert page.url.endswith(f"/plans/{plan_id}/resubmit")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/plans/{plan_id}/draft", f"/plans/{plan_id}/resubmit", "/tasks"):
        page.goto(f"{ORIGIN}{path}")
        assert page.get_by_test_id("return-reasons" if "draft" in path else "resubmit-form" if "resubmit" in path
                                   else f"task-reasons-{plan_id}").is_visible(), path  # fmt: skip
        assert _fits(page, 390), path


def test_each_reason_is_answered_at_resubmission_and_the_reviewer_reads_the_answers_by_the_diff(
    api, browser, world, chromium
):
    plan_id = _returned(api, world)
    assert (
        api("clerk_zombie").patch(f"/plans/{plan_id}", json={"title": "峰峰煤业职工安置方案（修订）"}).status_code
        == 200
    )
    page = page_for(chromium, browser("clerk_zombie"))
    page.goto(f"{ORIGIN}/plans/{plan_id}/draft")
    page.get_by_test_id("resubmit-link").click()
    boxes = page.locator("textarea")
    assert boxes.count() == 2
    boxes.nth(0).fill("已补充内部退养人员协议（附件3）。")
    # The page knows the second reason is unanswered: the button waits, naming it.
    assert page.get_by_test_id("resubmit-submit").is_disabled()
    assert page.get_by_test_id("resubmit-submit-blocked").inner_text() == "尚未答复：第2条退回理由"
    # Sent anyway (as without the script), the server refuses it the same way: nothing lost, focus on the blank one.
    with page.expect_navigation():
        page.evaluate("document.querySelector('[data-testid=resubmit-form]').submit()")
    error = page.locator("[data-testid^=error-]")
    assert "第2条退回理由" in error.inner_text()
    assert "尚未答复" in error.inner_text()
    assert page.locator("textarea").nth(0).input_value() == "已补充内部退养人员协议（附件3）。"  # nothing lost
    assert page.evaluate("document.activeElement.name") == page.locator("textarea").nth(1).get_attribute("name")
    page.locator("textarea").nth(1).fill("已重新上传清晰的批复文件。")
    page.get_by_role("button", name="提交答复并重新提交方案").click()
    assert "方案已提交" in page.content()
    flow.vote(api("union_zombie"), plan_id, flow.plan(api("clerk_zombie"), plan_id)["content_hash"])

    review = page_for(chromium, browser("province"))
    review.goto(f"{ORIGIN}/plans/{plan_id}/review")
    answered = review.get_by_test_id("answered-reasons")
    text = answered.inner_text()
    for reason, answer in zip(
        REASONS, ["已补充内部退养人员协议（附件3）。", "已重新上传清晰的批复文件。"], strict=True
    ):
        assert reason in text
        assert answer in text
    # the answers sit right above the differences between the two revisions
    assert review.locator("#answers + #diff").count() == 1
    assert "峰峰煤业职工安置方案（修订）" in review.get_by_test_id("diff").inner_text()
    review.set_viewport_size({"width": 390, "height": 844})
    review.reload()
    assert answered.is_visible()
    assert _fits(review, 390)
    review.goto(f"{ORIGIN}/plans/{plan_id}?tab=timeline")  # the submission's event keeps each answer
    assert "已重新上传清晰的批复文件。" in review.locator("[data-part=answers]").inner_text()
