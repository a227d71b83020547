"""Passwords: the rule a new one must meet, the check at login, the user's own change and an
administrator's reset (after which the user must choose a new one before anything else)."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from approvals import audit
from approvals.actor import PUBLIC_ROLE, Actor, public
from approvals.errors import Invalid, NotAllowed, Unauthenticated
from approvals.i18n import N_, Text
from approvals.models import Role, User
from approvals.services.api_tokens import revoke_all_tokens

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
_PASSWORD_CLASSES = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
# Symbols and digits people put in place of the letters they look like (P@ssw0rd).
_LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s",
                              "7": "t", "+": "t"})  # fmt: skip
_ENDS = re.compile(r"^[^a-z]+|[^a-z]+$")
# Usernames shorter than this are too likely to occur in a password by chance to refuse it for them.
_USERNAME_MIN_MATCH = 3
# How every password is hashed (werkzeug's method string; the cost is stored in each hash, so a hash made
# with another method still checks). The tests use a cheap one: tests/conftest.py.
PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a method name, not a password)


def _invalid(rule: str, message: str) -> Invalid:
    return Invalid("invalid_password", message, [{"field": "password", "rule": rule, "message": message}])


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords and the words they are built on (see the file's header)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """A listed password, as typed, with look-alikes read as letters, or with digits and symbols at its ends off."""
    lower = password.lower()
    core = _ENDS.sub("", lower)
    forms = {lower, lower.translate(_LOOK_ALIKES), core, core.translate(_LOOK_ALIKES)}
    return not forms.isdisjoint(common_passwords())


def check_password_rule(password: str, username: str = "") -> None:
    """8 to 128 characters with three of: capitals, small letters, digits, symbols; not a common password
    nor one holding the username."""
    if len(password) < PASSWORD_MIN_LENGTH or len(password) > PASSWORD_MAX_LENGTH:
        raise _invalid("length_8_128", Text(N_("密码长度须为%(min)d至%(max)d位。"), min=PASSWORD_MIN_LENGTH,
                                            max=PASSWORD_MAX_LENGTH))  # fmt: skip
    if sum(any(kind(c) for c in password) for kind in _PASSWORD_CLASSES) < 3:
        raise _invalid("three_classes", Text(N_("密码须包含大写字母、小写字母、数字、符号中的至少三类。")))
    name = username.strip().lower()
    if len(name) >= _USERNAME_MIN_MATCH and name in password.lower():
        raise _invalid("contains_username", Text(N_("密码不能包含用户名。")))
    if is_common(password):
        raise _invalid("common_password",
                       Text(N_("密码过于常见、容易被猜中（如Password1!、P@ssw0rd、Abc@123456），请换一个。")))  # fmt: skip


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def _dummy_hash() -> str:
    """A hash of no one's password, made like the real ones, for the time an unknown user's login takes."""
    return _hash_of_no_one(PASSWORD_HASH_METHOD)


@functools.cache
def _hash_of_no_one(method: str) -> str:
    return generate_password_hash("no-such-user", method=method)


def check_password(session: Session, username: str, password: str) -> User:
    """The user with this password; a wrong password, an unknown user and a deactivated account take the
    same time (a hash is checked in every case) and get the same answer."""
    user = session.scalars(select(User).where(User.username == username)).first()
    stored = user.password_hash if user is not None else _dummy_hash()
    matches = check_password_hash(stored, password)
    if user is None or not matches or not user.active:
        raise Unauthenticated("bad_credentials", N_("用户名或密码错误。"))
    return user


def end_sessions(user: User) -> None:
    """Every login session of the user ends at its next request (the generation is part of its id)."""
    user.session_generation = (user.session_generation or 0) + 1


def change_password(session: Session, *, actor: Actor, user: User, current: str, new: str, role: Role) -> User:
    """The user's own change: the current password, then the rule; every other session and token ends."""
    if actor.user is None or actor.user.id != user.id:
        raise NotAllowed("own_account", Text(N_("只能修改自己的密码。")))
    if not check_password_hash(user.password_hash, current):
        message = Text(N_("当前密码不正确。"))
        raise Invalid("wrong_password", message, [{"field": "current", "rule": "matches", "message": message}])
    check_password_rule(new, user.username)
    if check_password_hash(user.password_hash, new):
        raise _invalid("differs_from_current", Text(N_("新密码不能与当前密码相同。")))
    forced = user.must_change_password
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_sessions(user)
    revoked = revoke_all_tokens(session, user)
    session.flush()
    audit.record(session, actor=actor, role=role, action="user.password_changed",
                 summary={"username": user.username, "after_reset": forced, "tokens_revoked": revoked})  # fmt: skip
    return user


def reset_password(session: Session, *, actor: Actor, user: User, new: str) -> User:
    """An administrator sets a password the user must change at the next login; sessions and tokens end."""
    check_password_rule(new, user.username)
    user.password_hash = hash_password(new)
    user.must_change_password = True
    end_sessions(user)
    revoked = revoke_all_tokens(session, user)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="user.password_reset",
                 summary={"username": user.username, "tokens_revoked": revoked})  # fmt: skip
    return user


def record_login_lockout(session: Session, *, username: str, address: str, scope: str, until: datetime) -> None:
    """The trail's record of a lockout after too many wrong passwords (for a username, known or not, or
    from an address)."""
    audit.record(session, actor=public(address), role=PUBLIC_ROLE, action="user.login_locked",
                 summary={"scope": scope, "username": username[:64], "address": address,
                          "until": until.isoformat(timespec="seconds")})  # fmt: skip
