"""The user's own settings: where notifications are mailed and in which language they are written.

Saved through `notifications.contacts.set_contact` (the check of the address and the language, and the
audit event, as `flask users contact` does), in the user's own name and role.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from app.extensions import db
from app.web import bp
from app.web.form_fields import attach_details
from app.web.form_helpers import choices
from app.web.session import web_actor, web_user
from approvals.errors import Invalid
from approvals.models import LANGUAGES, Role, User
from notifications.contacts import set_contact


class ContactForm(FlaskForm):
    email = StringField(_l("电子邮箱"), description=_l("通知同时发送到此邮箱；不填则只在系统内通知。"),
                        render_kw={"type": "email", "autocomplete": "email"})  # fmt: skip
    # Any value reaches the service, which checks the language (one rule, one place).
    language = SelectField(_l("通知语言"), description=_l("通知和邮件的语言，与界面语言无关。"),
                           choices=choices([("", _l("默认（简体中文）"))] + list(LANGUAGES.items())),
                           validate_choice=False)  # fmt: skip


def acting_role(user: User) -> Role:
    """The role a user acts in for their own settings: the first they hold, in the order of Role."""
    return next((role for role in Role if role in user.roles), Role.ADMIN)


@bp.route("/settings", methods=["GET", "POST"])
def account_settings():  # type: ignore[no-untyped-def]
    user = web_user()
    form = ContactForm(data={"email": user.email or "", "language": user.language or ""})
    if form.validate_on_submit():
        try:
            set_contact(db.session, actor=web_actor(), user=user, email=form.email.data or "",
                        language=form.language.data or "", role=acting_role(user))  # fmt: skip
        except Invalid as exc:
            db.session.rollback()
            for problem in attach_details(form, exc):
                flash(problem, "danger")
            return render_template("web/account/settings.html", form=form), exc.status
        db.session.commit()
        flash(_("已保存通知设置。"), "success")
        return redirect(url_for("web.account_settings"))
    return render_template("web/account/settings.html", form=form), 422 if form.errors else 200
