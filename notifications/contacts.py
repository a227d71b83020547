"""Where a user's notifications are mailed, and in which language: set by an administrator (`flask users
contact`) or by the users themselves (their settings page), audited either way."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import Actor
from approvals.errors import Invalid
from approvals.i18n import N_, Listing, Text
from approvals.models import LANGUAGES, Role, User

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _invalid(field: str, rule: str, message: Text) -> Invalid:
    return Invalid(f"invalid_{field}", message, [{"field": field, "rule": rule, "message": message}])


def set_contact(session: Session, *, actor: Actor, user: User, email: str | None = None,
                language: str | None = None, role: str = Role.ADMIN) -> User:  # fmt: skip
    """Set the address and the language ("" clears either; None leaves it); recorded in the trail under
    `role`, the capacity the actor acts in (the administrator's, or one of the user's own for their own)."""
    if email is not None:
        email = email.strip()
        if email and (len(email) > 254 or not EMAIL.fullmatch(email)):
            raise _invalid("email", "email_address", Text(N_("电子邮箱“%(email)s”格式不正确。"), email=email))
        user.email = email or None
    if language is not None:
        if language and language not in LANGUAGES:
            raise _invalid(
                "language",
                "known_language",
                Text(N_("语言须为：%(languages)s。"), languages=Listing(LANGUAGES, N_("、"))),
            )
        user.language = language or None
    session.flush()
    audit.record(session, actor=actor, role=role, action="user.contact_set",
                 summary={"username": user.username, "email": user.email, "language": user.language})  # fmt: skip
    return user


def remember_interface_language(session: Session, *, actor: Actor, user: User, language: str, role: str) -> bool:
    """Keep the interface language the user just chose: their notifications follow it unless they chose a
    notification language (messages.language_of). Recorded in the trail when it changes; whether it did."""
    if language not in LANGUAGES or user.interface_language == language:
        return False
    user.interface_language = language
    session.flush()
    audit.record(session, actor=actor, role=role, action="user.interface_language_set",
                 summary={"username": user.username, "language": language})  # fmt: skip
    return True
