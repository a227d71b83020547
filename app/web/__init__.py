"""The web interface for people: server-rendered pages, Chinese first, every form with CSRF.

One blueprint; each module owns the pages of one area and registers its routes on `bp`.
Views call the same services as the JSON API, commit once, and re-render the form with the
service's message when a rule refuses.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("web", __name__)


def register(app: Flask) -> None:
    from app.web import (  # noqa: F401  (register the routes)
        account,
        admin,
        admin_holidays,
        admin_parameters,
        admin_reference,
        audit_view,
        auth,
        bureau,
        congress,
        documents,
        drafting,
        drafting_group,
        enterprise,
        evidence,
        execution,
        execution_services,
        execution_upload,
        execution_worker,
        home,
        i18n,
        nav,
        notifications,
        objections,
        plan_list,
        plans,
        public,
        publication,
        reminders,
        resubmission,
        review,
        roster_upload,
        roster_worker,
        session,
        supervision,
        verifications,
        working_group,
    )

    session.init(app)
    i18n.init(app)
    nav.init(app)
    app.register_blueprint(bp)
