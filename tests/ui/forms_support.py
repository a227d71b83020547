"""Helpers shared by the tests of the enterprise and union forms."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select

from app.extensions import db
from approvals.models import AuditEvent
from tests.conftest import reload


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


def field_value(html: str, name: str) -> str | None:
    """The value an input of the page holds (what the browser would send back)."""
    found = lxml.html.fromstring(html).xpath("//input[@name=$name]/@value | //textarea[@name=$name]/text()", name=name)
    return str(found[0]) if found else None
