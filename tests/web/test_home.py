"""The landing page: in Chinese; demo accounts only where configured (never in production)."""

from __future__ import annotations

from app.extensions import db, get_engine
from approvals import demo


def test_landing_page_lists_demo_accounts_only_when_enabled(app):
    demo.load(db.session, get_engine())
    db.session.commit()
    client = app.test_client()
    hidden = client.get("/").get_data(as_text=True)
    assert "职工安置方案审批系统" in hidden
    assert "/api/v1/openapi.json" in hidden
    assert demo.DEMO_PASSWORD not in hidden
    app.config["SHOW_DEMO_ACCOUNTS"] = True
    try:
        shown = client.get("/").get_data(as_text=True)
    finally:
        app.config["SHOW_DEMO_ACCOUNTS"] = False
    assert demo.DEMO_PASSWORD in shown
    assert all(f"<td>{name}</td>" in shown for name, *_ in demo.DEMO_USERS)
