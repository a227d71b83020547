"""Helpers shared by the tests of the enterprise and union forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import lxml.html
from sqlalchemy import select

from app.extensions import db
from approvals.models import AuditEvent
from tests.conftest import reload
from tests.ui.conftest import Browser


def actions(plan_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.plan_id == plan_id).order_by(AuditEvent.seq))
    )


def version(plan_id: int) -> str:
    return str(reload(plan_id).version)


def text(html: str) -> str:
    """The page's visible text, whitespace collapsed (for phrases split by markup)."""
    return " ".join(lxml.html.fromstring(html).text_content().split())


def block(html: str, testid: str) -> str:
    """The text of the element(s) marked data-testid=…: what the page shows at that place."""
    found = lxml.html.fromstring(html).xpath("//*[@data-testid=$id]", id=testid)
    assert found, f"nothing marked {testid}"
    return " ".join(" ".join(e.text_content().split()) for e in found)


def rules(html: str, testid: str) -> list[str]:
    """The rule keys marked (data-rule) in the element(s) marked data-testid=…: a refusal names its rule
    for scripts and tests, and says it in words to the reader."""
    found = lxml.html.fromstring(html).xpath("//*[@data-testid=$id]", id=testid)
    return [str(rule) for e in found for rule in e.xpath("descendant-or-self::*/@data-rule")]


def field_value(html: str, name: str) -> str | None:
    """The value an input of the page holds (what the browser would send back)."""
    found = lxml.html.fromstring(html).xpath("//input[@name=$name]/@value | //textarea[@name=$name]/text()", name=name)
    return str(found[0]) if found else None


# --- a real browser (Debian's Chromium through Playwright, the suite's `chromium` fixture: tests/conftest.py)
# whose requests the Flask test client answers: no server runs, and the pages read the database the
# fixtures filled.

ORIGIN = "http://forms.test"


def page_for(chromium: Any, client: Browser) -> Any:
    """A page whose every request goes to the app through `client` (its session cookie included)."""
    page = chromium.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")

    def answer(route: Any) -> None:
        request = route.request
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # Redirects (POST/redirect/GET) are followed here: the page shows where the app sends it.
        response = client.client.open(path, method=request.method, data=request.post_data_buffer,
                                      headers={"Content-Type": request.headers.get("content-type", "")},
                                      follow_redirects=True)  # fmt: skip
        body = response.get_data()
        response.close()  # static files are streamed from open files
        route.fulfill(status=response.status_code, headers=dict(response.headers), body=body)

    page.route(f"{ORIGIN}/**", answer)
    return page
