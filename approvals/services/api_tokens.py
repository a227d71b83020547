"""API bearer tokens: issued for a password, listed (masked) and revoked by their owner.

Only a token's SHA-256 is stored, with its first characters as a hint. A revoked token stays revoked:
reactivating an account revives none of them.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from approvals import audit
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import NotFound
from approvals.i18n import N_, Text
from approvals.models import ApiToken, Role, User

TOKEN_LIFETIME = timedelta(hours=12)
HINT_LENGTH = 4
# A token's last use is written at most this often (a write per API request would be one too many).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User) -> str:
    """A new token for the user; only its digest and its first characters are kept."""
    raw = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(raw), hint=raw[:HINT_LENGTH],
                         expires_at=utcnow() + TOKEN_LIFETIME))  # fmt: skip
    return raw


def token_for(session: Session, raw: str) -> ApiToken | None:
    """The live token (not expired, not revoked, its user active) for a raw token, its last use noted."""
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(raw))).first()
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at < now or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token


def user_for_token(session: Session, raw: str) -> User | None:
    token = token_for(session, raw)
    return token.user if token is not None else None


def live_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at >= utcnow())
            .order_by(ApiToken.id.desc())
        )
    )


def masked(token: ApiToken) -> str:
    """How a token is shown to its owner: its first characters only."""
    return f"{token.hint}…" if token.hint else "…"


def revoke_all_tokens(session: Session, user: User, *, at: datetime | None = None) -> int:
    """Revoke every token of the user that is not revoked yet; the number revoked (no audit: callers record it)."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=at or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def revoke_token(session: Session, *, actor: Actor, user: User, token_id: int, role: Role) -> ApiToken:
    """The owner revokes one of their tokens (another user's token does not exist for them)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound("token_not_found", Text(N_("访问令牌不存在或已撤销。")))
    token.revoked_at = utcnow()
    session.flush()
    audit.record(session, actor=actor, role=role, action="user.token_revoked",
                 summary={"username": user.username, "token": masked(token)})  # fmt: skip
    return token


def revoke_own_tokens(session: Session, *, actor: Actor, user: User, role: Role) -> int:
    """The owner revokes all their tokens; the number revoked."""
    count = revoke_all_tokens(session, user)
    session.flush()
    audit.record(session, actor=actor, role=role, action="user.tokens_revoked",
                 summary={"username": user.username, "count": count})  # fmt: skip
    return count
