"""The review page's header and help in Chromium, at an office screen (1366 px) and a phone (390 px), in
both languages: the holiday note under the title reads on a line or two, not in a narrow column; the
help beside the decision names the checklist, which is on the left at 1366 px and above at 390 px."""

from __future__ import annotations

import pytest

from tests import flow
from tests.ui.forms_support import ORIGIN, page_for


@pytest.mark.parametrize(("lang", "checklist"), [("zh_CN", "“审核检查项”"), ("en", '"Review checklist"')])
def test_the_holiday_note_spans_the_header_and_the_help_names_the_checklist(
    browser, api, world, complete_content, chromium, lang, checklist
):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])  # 20 working days of review: into 2027
    reviewer = browser("reviewer")
    reviewer.get(f"/lang/{lang}")
    page = page_for(chromium, reviewer)
    page.goto(f"{ORIGIN}/plans/{plan['id']}/review")
    note = page.get_by_test_id("calendar-note")
    line = page.evaluate("n => parseFloat(getComputedStyle(n).lineHeight)", note.element_handle())
    box = note.bounding_box()
    assert box is not None
    assert box["width"] > 600  # the width of the title block, not a 16em column
    assert box["height"] <= 2 * line + 1  # a line or two, not a tall narrow column
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 844})
        help_text = page.locator("#reasons").locator("xpath=..").inner_text()
        assert checklist in help_text
        assert "左侧" not in help_text
        assert "on the left" not in help_text
    # At 390 px the checklist is above the decision: that is where the help sends the reader.
    checklist_box = page.get_by_test_id("checklist").bounding_box()
    reasons_box = page.locator("#reasons").bounding_box()
    assert checklist_box is not None
    assert reasons_box is not None
    assert checklist_box["y"] < reasons_box["y"]
