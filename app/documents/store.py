"""Rendered documents, kept: each official document is rendered once for what it shows and served from
the database after that (beside the funding evidence and the congress documents, the one place files live).

A document is immutable once its record exists, but what it shows is gathered at read time (names,
regions, the reviews behind a published plan…), so a rendering is found by its content key: the SHA-256
of `version()` (the templates, stylesheet and fonts, the documents' code and rules, and WeasyPrint) and
of the canonical JSON of its template and facts (its context; the published plan's roster by the
digest of its snapshot). Whatever changes what a document says, or how it is laid out, makes
a new key and so a new rendering; a stale file is never served.

Who renders: `flask worker` (app/worker.py), for every plan with a row in `document_job`, which every
plan event writes in its own transaction (`connect`); so a vote record, a review opinion, a group
record or a published plan is rendered as it comes into being, off the request path. A download finds
the rendering by its key; only when no worker has made it yet (none runs, or it has not reached the
plan) does the request render, and it stores what it rendered, so that happens once. A stored file
whose bytes no longer match their SHA-256 (or are not a whole PDF) is rendered again, never served.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import weasyprint
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction, undefer

from app.documents import render
from app.documents.context import Document, documents_of
from app.documents.render import STATIC_DIR, TEMPLATES_DIR, Renderer, renderer
from approvals import rules
from approvals.db import utcnow
from approvals.models import DocumentJob, Plan, StoredDocument
from approvals.services import roster as roster_service
from approvals.signals import plan_event, task_closed

log = logging.getLogger(__name__)

# What makes a document's PDF besides its facts: the templates, stylesheet, images and fonts; the code that turns
# the records into the context and the context into a PDF (app/documents/), and the rules and the roster
# snapshot reader behind what the published plan makes of the rows (the key names those by digest only:
# RosterStandIn). A change to any of these files is a new layout version.
LAYOUT_FILES = ((TEMPLATES_DIR, "*.html"), (STATIC_DIR / "documents", "*"), (STATIC_DIR / "documents" / "fonts", "*"),
                (Path(render.__file__).parent, "*.py"), (Path(rules.__file__).parent, "*.py"),
                (Path(roster_service.__file__).parent, "roster.py"))  # fmt: skip


@cache
def version() -> str:
    """SHA-256 of the layout: every file of LAYOUT_FILES (directory, name and bytes) and WeasyPrint's version."""
    digest = hashlib.sha256(f"weasyprint {weasyprint.__version__}\n".encode())
    for directory, pattern in LAYOUT_FILES:
        for path in sorted(directory.glob(pattern)):
            if path.is_file():
                digest.update(f"{path.parent.name}/{path.name}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_key(document: Document) -> str:
    """The key of a rendering of `document`: everything it shows (its facts: the context, or the context
    with what follows from stored bytes named by their digest), and the layout's version."""
    body = json.dumps({"template": document.kind.template, "facts": document.facts}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"), default=_plain)  # fmt: skip
    return hashlib.sha256(f"{version()}\n{body}".encode()).hexdigest()


def _plain(value: Any) -> str:
    """A context value JSON has no type for (a date, a Decimal) by its text; never an object's address."""
    text = str(value)
    if " at 0x" in text:
        raise TypeError(f"a document's context holds {type(value).__name__}, which has no stable text")
    return text


def intact(data: bytes, row: StoredDocument) -> bool:
    """The stored bytes are those that were rendered, and a whole PDF."""
    return (len(data) == row.size and hashlib.sha256(data).hexdigest() == row.sha256 and data.startswith(b"%PDF-")
            and b"%%EOF" in data[-64:])  # fmt: skip


@dataclass(frozen=True)
class Kept:
    """A document's PDF and how it was got: from storage, or rendered now (and stored)."""

    data: bytes
    sha256: str
    rendered: bool


def stored(session: Session, document: Document) -> Kept | None:
    """The stored rendering of what the document shows now, if there is one and it is intact; a damaged
    one is deleted (logged), so the caller renders it again."""
    key = content_key(document)
    row = session.scalars(
        select(StoredDocument)
        .options(undefer(StoredDocument.data))
        .where(StoredDocument.plan_id == document.plan_id, StoredDocument.kind == document.kind.key,
               StoredDocument.record_id == document.record_id, StoredDocument.content_key == key)
    ).first()  # fmt: skip
    if row is None:
        return None
    if intact(row.data, row):
        return Kept(row.data, row.sha256, rendered=False)
    log.error("stored %s of plan %s (record %s) is damaged: rendering it again", document.kind.key,
              document.plan_id, document.record_id)  # fmt: skip
    session.delete(row)
    session.flush()
    return None


def keep(session: Session, document: Document, data: bytes, seconds: float) -> Kept:
    """Store a rendering of the document (the caller commits)."""
    digest = hashlib.sha256(data).hexdigest()
    _store(session, document, content_key(document), version(), data, digest, seconds)
    return Kept(data, digest, rendered=True)


def pdf(session: Session, document: Document, using: Renderer | None = None) -> Kept:
    """The document's PDF: the stored rendering of what it shows now, else rendered and stored (the
    caller commits). A damaged stored file is replaced by a new rendering."""
    found = stored(session, document)
    if found is not None:
        return found
    started = time.thread_time()
    data = (using or renderer()).render(document.kind.template, document.context)
    return keep(session, document, data, time.thread_time() - started)


def _store(session: Session, document: Document, key: str, layout: str, data: bytes, digest: str,
           seconds: float) -> None:  # fmt: skip
    """Keep the rendering; drop the renderings of earlier contents of the same document. A rendering of
    the same key stored meanwhile by another process (a worker, a second request) stays: they are alike."""
    plan_id = document.plan_id
    session.execute(
        delete(StoredDocument)
        .where(StoredDocument.plan_id == plan_id, StoredDocument.kind == document.kind.key,
               StoredDocument.record_id == document.record_id, StoredDocument.content_key != key)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    values = {"plan_id": plan_id, "kind": document.kind.key, "record_id": document.record_id, "content_key": key,
              "version": layout, "sha256": digest, "size": len(data), "data": data, "render_seconds": seconds,
              "rendered_at": utcnow()}  # fmt: skip
    session.execute(_insert(session, StoredDocument).values(**values).on_conflict_do_nothing())


def _insert(session: Session, model: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


# -- the worker's side ---------------------------------------------------------------------------------


# The plans asked for in each open transaction: one statement per plan and transaction, however many
# events and closed tasks it has.
_asked: WeakKeyDictionary[SessionTransaction, set[int]] = WeakKeyDictionary()


def request_rendering(session: Session, plan_id: int) -> None:
    """Ask the worker to render the plan's documents (once, however often asked before it does)."""
    plain = session if isinstance(session, Session) else session()  # a scoped session's own
    asked = _asked.setdefault(plain.get_transaction() or plain.begin(), set())
    if plan_id in asked:
        return
    asked.add(plan_id)
    with session.no_autoflush:
        session.execute(
            _insert(session, DocumentJob).values(plan_id=plan_id, requested_at=utcnow()).on_conflict_do_nothing()
        )


def _on_plan_event(plan: Plan, *, session: Session, **_: Any) -> None:
    request_rendering(session, plan.id)


def connect() -> None:
    """Every plan event (a vote recorded, a review, a group's decision, a publication, …) asks for the
    plan's documents to be rendered, in the event's transaction; so does every completed task."""
    plan_event.connect(_on_plan_event, weak=False)
    task_closed.connect(_on_plan_event, weak=False)


def claim_job(session: Session) -> int | None:
    """Take the oldest plan waiting for its documents (skipping one another worker holds) and delete its
    row; the caller commits before rendering, so no lock is held for the render. A plan event during the
    render writes a new row, taken by the next pass."""
    job = session.scalars(
        select(DocumentJob).order_by(DocumentJob.requested_at, DocumentJob.plan_id).limit(1)
        .with_for_update(skip_locked=True)
    ).first()  # fmt: skip
    if job is None:
        return None
    plan_id = job.plan_id
    session.delete(job)
    session.flush()
    return plan_id


def request_outdated(session: Session) -> int:
    """Ask again for every plan with a rendering of another layout version (the templates, stylesheet
    or fonts changed): the worker renders them anew before they are downloaded. The number of plans."""
    stale = set(session.scalars(select(StoredDocument.plan_id).where(StoredDocument.version != version()).distinct()))
    waiting = set(session.scalars(select(DocumentJob.plan_id)))
    for plan_id in sorted(stale - waiting):
        request_rendering(session, plan_id)
    return len(stale - waiting)


def render_plan(session: Session, plan_id: int, stop: Any = None) -> int:
    """Render and store every document of the plan not kept yet for what it shows now, committing each;
    the number rendered. Stops between documents when `stop` (a threading.Event) is set."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        return 0
    rendered = 0
    for document in documents_of(session, plan):
        if stop is not None and stop.is_set():
            request_rendering(session, plan_id)  # the rest next time
            session.commit()
            break
        if pdf(session, document).rendered:
            rendered += 1
        session.commit()
    session.rollback()  # end the read transaction
    return rendered
