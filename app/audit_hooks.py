"""A signed checkpoint in the same transaction as every administration step.

The core marks the session when it records an event in the system chain (audit.CHECKPOINT_DUE);
just before that transaction commits, this signs a checkpoint with AUDIT_KEY (which only the web
adapter holds), so deleting the tail of the system chain is caught by a signature at once.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import audit_key, db
from approvals import audit_checkpoints
from approvals.audit import CHECKPOINT_DUE

log = logging.getLogger(__name__)


def _sign_after_administration(session: Session) -> None:
    if not session.info.pop(CHECKPOINT_DUE, False):
        return
    checkpoint, found = audit_checkpoints.make_checkpoint(session, audit_key())
    if checkpoint is None:
        # The administration step still commits; verification reports what stopped the signature.
        log.error("audit checkpoint refused: %s", "; ".join(f"{b.chain} #{b.seq}: {b.problem}" for b in found))


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(CHECKPOINT_DUE, None)


def register(app: Flask) -> None:
    """Listen on the app's sessions (once: the listeners hold no state of any one app)."""
    if not event.contains(db.session, "before_commit", _sign_after_administration):
        event.listen(db.session, "before_commit", _sign_after_administration)
        event.listen(db.session, "after_rollback", _forget)
