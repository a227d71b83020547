"""Delivering the email outbox over SMTP, with retries and exponential back-off.

A worker claims one due row at a time (`claim_next`: FOR UPDATE SKIP LOCKED on PostgreSQL, so
two workers never hold the same row), sends it while holding the row, records the outcome and
commits. A crash between the SMTP server's acceptance and the commit sends that one message again
(at least once); two workers never send the same row twice. Every message carries a Message-ID
derived from the row, so a receiving system can tell a repeat.

Transient failures (connection refused or lost, 4xx replies, a message that failed to render) are
retried after MAIL_RETRY_BASE_SECONDS × 2^(attempt−1) (at most MAIL_RETRY_MAX_SECONDS) until
MAIL_MAX_ATTEMPTS; a permanent refusal (5xx for the recipient or the message) fails at once.
Failed rows stay in the table, with their attempts and last error, for `flask mail list|retry`.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, lazyload

from approvals.db import utcnow
from notifications.messages import language_of, render
from notifications.models import EmailOutbox

STATUSES = ("pending", "sent", "failed")
TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    tls: str = "starttls"  # starttls | ssl | none
    sender: str = "职工安置方案审批系统 <noreply@localhost>"
    timeout: float = 30.0
    max_attempts: int = 8
    retry_base_seconds: float = 60.0
    retry_max_seconds: float = 21600.0
    base_url: str = ""

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise ValueError(f"MAIL_TLS must be one of {', '.join(TLS_MODES)}, not {self.tls!r}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        return cls(host=config["MAIL_HOST"], port=int(config["MAIL_PORT"]), username=config["MAIL_USERNAME"],
                   password=config["MAIL_PASSWORD"], tls=config["MAIL_TLS"], sender=config["MAIL_SENDER"],
                   timeout=float(config["MAIL_TIMEOUT"]), max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
                   retry_base_seconds=float(config["MAIL_RETRY_BASE_SECONDS"]),
                   retry_max_seconds=float(config["MAIL_RETRY_MAX_SECONDS"]),
                   base_url=config["APP_BASE_URL"])  # fmt: skip

    def backoff(self, attempts: int) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt."""
        return timedelta(seconds=min(self.retry_base_seconds * 2 ** (attempts - 1), self.retry_max_seconds))


class Mailer:
    """One SMTP connection, opened on the first message and reused until closed."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                  context=ssl.create_default_context())  # fmt: skip
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password)
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def build_message(row: EmailOutbox, settings: MailSettings) -> EmailMessage:
    """The email of one outbox row, in its recipient's language."""
    notification = row.notification
    user = notification.user
    language = language_of(user)
    words = render(notification.kind, notification.payload, language=language, user_name=user.display_name,
                   role=notification.role, plan_id=notification.plan_id, base_url=settings.base_url)  # fmt: skip
    message = EmailMessage()
    message["Subject"] = words.subject
    message["From"] = settings.sender
    message["To"] = formataddr((user.display_name, row.to_address))
    message["Date"] = format_datetime(row.created_at.replace(tzinfo=UTC))
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<outbox-{row.id}.{row.created_at:%Y%m%d%H%M%S}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(words.body)  # clears Content-* headers: Content-Language comes after
    message["Content-Language"] = language.replace("_", "-")
    return message


def claim_next(session: Session, now: datetime) -> EmailOutbox | None:
    """The next due row, locked for this transaction; rows another worker holds are skipped."""
    return session.scalars(
        select(EmailOutbox)
        .options(lazyload(EmailOutbox.notification))
        .where(EmailOutbox.status == "pending", EmailOutbox.next_attempt_at <= now)
        .order_by(EmailOutbox.next_attempt_at, EmailOutbox.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def _permanent(exc: Exception) -> bool:
    """A refusal that sending again will not cure: 5xx for every recipient or for the message."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{addr}: {code} {msg.decode(errors='replace')}" for addr, (code, msg) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"[:2000]


def deliver_one(session: Session, mailer: Mailer, now: datetime | None = None) -> EmailOutbox | None:
    """Claim and send the next due email; record the outcome (the caller commits). None when
    nothing is due."""
    now = now or utcnow()
    row = claim_next(session, now)
    if row is None:
        return None
    row.attempts += 1
    try:
        mailer.send(build_message(row, mailer.settings))
    except Exception as exc:  # noqa: BLE001 (any failure is recorded on the row, never lost)
        mailer.close()  # the connection may be unusable now; the next message opens a new one
        row.last_error = _describe(exc)
        if _permanent(exc) or row.attempts >= mailer.settings.max_attempts:
            row.status = "failed"
        else:
            row.next_attempt_at = now + mailer.settings.backoff(row.attempts)
    else:
        row.status, row.sent_at, row.last_error = "sent", utcnow(), None
    session.flush()
    return row


def list_outbox(session: Session, *, status: str | None = None, limit: int = 50) -> list[EmailOutbox]:
    query = select(EmailOutbox).order_by(EmailOutbox.id.desc()).limit(limit)
    if status:
        query = query.where(EmailOutbox.status == status)
    return list(session.scalars(query))


def retry(session: Session, ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Send failed rows again (all of them when `ids` is None), with a fresh round of attempts.
    The last error stays until the next attempt replaces it."""
    query = update(EmailOutbox).where(EmailOutbox.status == "failed")
    if ids is not None:
        query = query.where(EmailOutbox.id.in_(ids))
    result = session.execute(
        query.values(status="pending", attempts=0, next_attempt_at=now or utcnow()).execution_options(
            synchronize_session=False
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
