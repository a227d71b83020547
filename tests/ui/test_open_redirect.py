"""Every redirect that takes a `next` target (the language switch, the login, the notification centre,
the supervisor's reminder) stays on this site, whatever form the target takes: the known bypasses of
open-redirect checks fall back to the page's own default, and a line break is never a 500."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest

from app.web.session import safe_next

# Each leads off-site, or into a header, once a browser (or a proxy decoding it once more) reads it.
BYPASSES = [
    "//evil.example", "///evil.example", "////evil.example/x", "//evil.example/%2F..",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", " //evil.example",
    "/\x00/evil.example", "/\x0b/evil.example", "/\x7f/evil.example", "/\x85/evil.example",
    "/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "/%2F/evil.example",
    "/%2f%2fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5cevil.example",
    "/%252F/evil.example", "/%25252F/evil.example",
    "https://evil.example", "HTTPS://evil.example", "http:evil.example", "http:/evil.example",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "evil.example", "@evil.example", ".evil.example", "https:\\\\evil.example", "/login\r\nSet-Cookie: x=1",
    "/\r\nLocation: https://evil.example",
]  # fmt: skip
# Paths of this site, as the pages send them.
LOCAL = ["/", "/plans/1?tab=roster", "/audit?person=%E5%BC%A0%E4%B8%89&page=2", "/public/abc?q=%E7%8E%8B#roster",
         "/notifications?unread=1", "/plans/1/draft?section=funding"]  # fmt: skip
ORIGIN = "http://localhost"
# Control characters are refused (422, naming the parameter) before any view reads them (app/inputs.py):
# in a query string all of them, in a form field all but tab and line breaks.
IN_QUERY_REFUSED = re.compile("[\x00-\x1f\x7f]")
IN_FORM_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def stays_home(response, target: str, home: str, refused: re.Pattern[str]) -> None:
    """Sent to `home`, or refused outright (422) when the target holds a control character: never off the
    site, never a 500."""
    if refused.search(target) and response.status_code == 422:
        assert "Location" not in response.headers, target
    else:
        assert response.status_code == 302, target
        assert response.headers["Location"] == home, target


def leaves_the_site(location: str) -> bool:
    """Where a browser at our origin goes with this Location (after it drops tabs and line breaks)."""
    cleaned = "".join(c for c in location if c not in "\t\n\r").replace("\\", "/").strip()
    target = urlsplit(urljoin(ORIGIN + "/x", cleaned))
    return target.scheme not in ("http", "https") or target.netloc != "localhost"


@pytest.mark.parametrize("target", BYPASSES)
def test_a_target_off_the_site_falls_back_to_the_default(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", LOCAL)
def test_a_path_on_the_site_is_kept(target):
    assert safe_next(target, "/home") == target


def test_the_bypass_list_holds_what_a_browser_would_follow_off_the_site():
    """The list is not made of harmless strings: most lead away as a browser reads them (the others
    are encoded forms a proxy may decode, and header injections)."""
    assert sum(leaves_the_site(target) for target in BYPASSES) >= 15
    assert not any(leaves_the_site(target) for target in LOCAL)


@pytest.mark.parametrize("target", BYPASSES)
def test_the_language_switch_stays_on_the_site(browser, target):
    response = browser("clerk").get(f"/lang/en?next={quote(target, safe='')}")
    stays_home(response, target, "/", IN_QUERY_REFUSED)


@pytest.mark.parametrize("target", BYPASSES)
def test_the_login_stays_on_the_site(browser, target):
    anonymous = browser(None)
    anonymous.get("/login")
    response = anonymous.post(f"/login?next={quote(target, safe='')}", {"username": "clerk", "password": "Secret#2026"})
    stays_home(response, target, "/", IN_QUERY_REFUSED)


def test_the_issues_examples_no_longer_leave_the_site_nor_fail(browser):
    clerk = browser("clerk")
    assert clerk.get("/lang/en?next=/%09/evil.example").headers["Location"] == "/"
    response = clerk.get("/lang/en?next=/%0d%0aSet-Cookie:%20x=1")
    assert response.status_code == 422  # a line break in a query string is refused, naming the parameter
    assert "next" in response.get_data(as_text=True)
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_the_notification_centre_stays_on_the_site(browser):
    clerk = browser("clerk")
    for target in BYPASSES:
        response = clerk.post("/notifications/read-all", {"next": target})
        if IN_FORM_REFUSED.search(target):
            assert response.status_code == 422, target
            continue
        assert response.status_code == 302, target
        assert not leaves_the_site(response.headers["Location"]), target
        assert response.headers["Location"].startswith("/notifications"), target


@pytest.mark.parametrize("target", LOCAL)
def test_the_language_switch_and_the_login_come_back_to_a_local_page(browser, target):
    assert browser("clerk").get(f"/lang/en?next={quote(target, safe='')}").headers["Location"] == target
    anonymous = browser(None)
    anonymous.get("/login")
    response = anonymous.post(f"/login?next={quote(target, safe='')}", {"username": "clerk", "password": "Secret#2026"})
    assert response.headers["Location"] == target


def test_the_supervisors_reminder_stays_on_the_site(app, api, browser, world, complete_content):
    from tests.ui.test_supervisor_home import at_review

    late = at_review(app, api, world, complete_content(world.steel), days_ago=60)
    supervisor = browser("supervisor")
    supervisor.get(f"/plans/{late}/remind")
    for target in ["/\t/evil.example", "/\\evil.example", "//evil.example", "/\r\nSet-Cookie: x=1"]:
        response = supervisor.post(f"/plans/{late}/remind", {"message": "请于本周内完成审核。", "next": target})
        assert response.status_code == 302, target
        assert response.headers["Location"] == f"/plans/{late}/remind", target
