"""What the clerk sees of the zombie flag (拟出清的僵尸企业, 冀人社发〔2018〕38号 §六): the register's value beside the
registry data, with where it comes from, and no box to tick or untick, on an office screen and a 390-wide phone
(approvals/rules/register.py)."""

from __future__ import annotations

from tests.browser.live import too_wide

# Demo data: plan 1 is the steel firm's draft, plan 7 the registered zombie coal firm's (at the working group).
CASES = [("clerk", "/plans/1/draft?section=profile", "否"), ("clerk_coal", "/plans/7/draft?section=profile", "是")]


def test_the_clerk_reads_the_registers_flag_and_cannot_change_it(page_for):
    for user, path, registered in CASES:
        page = page_for(user)
        for width, height in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(path)
            shown = page.get_by_test_id("register-zombie")
            assert shown.is_visible(), (user, width)
            assert shown.locator(".badge").inner_text() == registered, (user, width)
            assert "取自企业登记信息（由系统管理员维护），不在方案中填报" in shown.inner_text()
            assert page.locator("form [name=zombie]").count() == 0  # nothing the clerk could untick
            assert too_wide(page) == [], (user, width)
