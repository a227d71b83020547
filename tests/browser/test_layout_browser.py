"""No page is wider than its window, in Chinese or in English: on an office screen (1366×768) every
main page, and on a 390-wide phone the public notice a worker opens from a link.

A page (or a table's scroll box) wider than its window means text overflows. English is the
language where it happens: its words are longer and break only at spaces.
"""

from __future__ import annotations

from typing import Any

from tests.browser.live import plan_tabs, too_wide

# (account, page) on the demo data: plan 1 in drafting, 2 at the congress, 3 at the review,
# 5 waiting for publication, 6 published, 7 (high risk) at the working group.
PAGES = [
    ("clerk", "/"),
    ("clerk", "/tasks"),
    ("clerk", "/plans"),
    ("clerk", "/plans/1/draft?section=funding"),
    ("clerk", "/plans/1/roster/upload"),
    ("clerk", "/plans/5/publication"),
    ("clerk", "/plans/6/objections"),
    ("union", "/"),
    ("union", "/plans/2/vote"),
    ("reviewer", "/"),
    ("reviewer", "/plans/3/review"),
    ("reviewer", "/plans/3/verifications"),
    ("reviewer", "/plans/7"),
    *(("reviewer", f"/plans/7?tab={tab}") for tab in plan_tabs()),
    ("wg", "/"),
    ("wg", "/plans/7/working-group"),
    ("supervisor", "/"),
    ("supervisor", "/plans"),
    ("supervisor", "/audit"),
    ("supervisor", "/audit/verify"),
    ("admin", "/"),
    ("admin", "/admin/users"),
    ("admin", "/admin/enterprises"),
    ("admin", "/admin/regions"),
    ("admin", "/admin/working-groups"),
    ("admin", "/admin/parameters"),
    ("admin", "/admin/holidays"),
]


def overflowing(page: Any, path: str) -> list[str]:
    page.goto(path)
    return [f"{path}: {box}" for box in too_wide(page)]


def test_no_page_is_wider_than_an_office_screen_in_either_language(page_for):
    found = []
    for language in ("zh_CN", "en"):
        pages: dict[str, Any] = {}
        for user, path in PAGES:
            if user not in pages:
                pages[user] = page_for(user)
                pages[user].goto(f"/lang/{language}")
            found += [f"{language} {problem}" for problem in overflowing(pages[user], path)]
    assert found == []


def test_the_public_notice_fits_a_phone_and_an_office_screen_in_either_language(page_for):
    clerk = page_for("clerk")
    clerk.goto("/plans/6/publication")
    link = clerk.get_by_test_id("public-link").get_attribute("href")
    found = []
    for language in ("zh_CN", "en"):
        worker = page_for(None)
        worker.goto(f"/lang/{language}")
        for width, height in ((1366, 768), (390, 844)):
            worker.set_viewport_size({"width": width, "height": height})
            found += [f"{language} {width}px {problem}" for problem in overflowing(worker, link)]
    assert found == []
