"""Signed checkpoints of the audit chains: taking them, checking their own sequence, exporting them.

A checkpoint signs (HMAC-SHA256 with AUDIT_KEY) every chain's head (seq, hash), its own number and
time, and the previous checkpoint's signature: the checkpoints are a chain of their own, numbered
1, 2, …, so one deleted or replaced shows as a gap, and one forged needs the key. Their count and
latest signature are also kept in the "checkpoints" AuditHead row. What this detects, and what only
an exported copy can, is set out in docs/audit.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, tuple_
from sqlalchemy.orm import Session, defer

from approvals.audit import CHECKPOINT_CHAIN, Break, Reference, lock_head
from approvals.db import utcnow
from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.models import AuditCheckpoint, AuditEvent, AuditHead
from approvals.rules.content import canonical_json

EXPORT_FORMAT = "audit-checkpoints/1"


def _heads_hash(heads: str) -> str:
    return hashlib.sha256(heads.encode()).hexdigest()


def _signed_text(checkpoint: AuditCheckpoint) -> str:
    """What the signature covers: the heads through their SHA-256 (`heads_hash`), so that the
    checkpoints' sequence is checked without reading every checkpoint's heads."""
    if checkpoint.scheme == 1:  # taken before checkpoints were chained: the heads alone
        return checkpoint.heads
    at = checkpoint.created_at.isoformat(timespec="microseconds")
    return canonical_json({"seq": checkpoint.seq, "prev": checkpoint.prev_signature, "at": at,
                           "heads": checkpoint.heads_hash})  # fmt: skip


def _sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _signed_by(checkpoint: AuditCheckpoint, key: bytes) -> bool:
    return hmac.compare_digest(_sign(key, _signed_text(checkpoint)), checkpoint.signature)


def signature_valid(checkpoint: AuditCheckpoint, key: bytes) -> bool:
    """The signature holds and the heads are those it signed."""
    return _heads_hash(checkpoint.heads) == checkpoint.heads_hash and _signed_by(checkpoint, key)


def heads_of(checkpoint: AuditCheckpoint) -> dict[str, tuple[int, str]]:
    return {chain: (int(seq), str(digest)) for chain, (seq, digest) in json.loads(checkpoint.heads).items()}


def label(checkpoint: AuditCheckpoint) -> str:
    return f"{checkpoint.created_at:%Y-%m-%d %H:%M}的第{checkpoint.seq}号签名检查点"


def reference(checkpoint: AuditCheckpoint) -> Reference:
    return Reference(heads_of(checkpoint), label(checkpoint))


def check_sequence(session: Session, key: bytes) -> tuple[list[Break], AuditCheckpoint | None, bool]:
    """Every checkpoint's signature and link to the one before, numbered without a gap from 1 to
    the count the checkpoints' head row records: (findings, the latest, whether it is trusted)."""
    found: list[Break] = []
    latest: AuditCheckpoint | None = None
    expected, prev = 1, ""
    # The heads (large: every chain) are read for the latest only, and for the few of scheme 1.
    query = select(AuditCheckpoint).options(defer(AuditCheckpoint.heads)).order_by(AuditCheckpoint.seq)
    for checkpoint in session.scalars(query.execution_options(yield_per=500)):
        if checkpoint.seq != expected:
            found.append(Break(None, CHECKPOINT_CHAIN, expected,
                               f"缺少第{expected}至{checkpoint.seq - 1}号签名检查点（已被删除）"))  # fmt: skip
        elif checkpoint.scheme != 1 and checkpoint.prev_signature != prev:
            found.append(Break(None, CHECKPOINT_CHAIN, checkpoint.seq, f"第{checkpoint.seq}号签名检查点与前一个不衔接"))
        if not _signed_by(checkpoint, key):
            found.append(Break(None, CHECKPOINT_CHAIN, checkpoint.seq, "检查点签名无效（检查点已被篡改）"))
        expected, prev, latest = checkpoint.seq + 1, checkpoint.signature, checkpoint
    if latest is not None and _signed_by(latest, key) and not signature_valid(latest, key):
        found.append(Break(None, CHECKPOINT_CHAIN, latest.seq, "检查点记载的链尾与其签名不符（检查点已被篡改）"))
    count, last_signature = _recorded(session)
    have = latest.seq if latest is not None else 0
    if count > have or (count == have and latest is not None and last_signature != latest.signature):
        found.append(
            Break(None, CHECKPOINT_CHAIN, count, f"签名检查点记载共{count}个，实存最新为第{have}号（检查点已被删除）")
        )
    trusted = latest is not None and signature_valid(latest, key)
    return found, latest, trusted


def _recorded(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.chain == CHECKPOINT_CHAIN)).first()
    return (row[0], row[1]) if row else (0, "")


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    return session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1)).first()


def _current_heads(session: Session) -> tuple[dict[str, tuple[int, str]], list[Break]]:
    """Every chain's recorded head, each checked against the event it names and for none beyond it."""
    found: list[Break] = []
    heads: dict[str, tuple[int, str]] = {}
    rows = session.execute(
        select(AuditHead.chain, AuditHead.seq, AuditHead.hash, AuditEvent.hash)
        .outerjoin(AuditEvent, and_(AuditEvent.chain == AuditHead.chain, AuditEvent.seq == AuditHead.seq))
        .where(AuditHead.chain != CHECKPOINT_CHAIN, AuditHead.seq > 0)
    )
    for chain, seq, digest, event_digest in rows:
        if event_digest != digest:
            found.append(Break(None, chain, seq, f"链头记载第{seq}条与记录不符"))
        heads[chain] = (seq, digest)
    beyond = session.execute(
        select(AuditEvent.chain, AuditEvent.seq)
        .join(AuditHead, and_(AuditHead.chain == AuditEvent.chain, AuditEvent.seq > AuditHead.seq))
        .limit(100)
    )
    found.extend(Break(None, chain, seq, "链头之后还有记录") for chain, seq in beyond)
    return heads, found


def _extends(session: Session, heads: dict[str, tuple[int, str]], previous: AuditCheckpoint) -> list[Break]:
    """Whether today's chains extend those the previous checkpoint signed (only grown chains are read)."""
    found: list[Break] = []
    lookup: dict[tuple[str, int], str] = {}
    for chain, (seq, digest) in heads_of(previous).items():
        now_seq, now_digest = heads.get(chain, (0, ""))
        if now_seq < seq:
            found.append(Break(None, chain, seq, f"链尾缺失：{label(previous)}记载共{seq}条，实存{now_seq}条"))
        elif now_seq == seq and now_digest != digest:
            found.append(Break(None, chain, seq, f"与{label(previous)}不符（链被改写）"))
        elif now_seq > seq:
            lookup[(chain, seq)] = digest
    keys = list(lookup)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        have = {
            (chain, seq): digest
            for chain, seq, digest in session.execute(
                select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash).where(
                    tuple_(AuditEvent.chain, AuditEvent.seq).in_(chunk)
                )
            )
        }
        found.extend(
            Break(None, chain, seq, f"与{label(previous)}不符（链被改写）")
            for chain, seq in chunk
            if have.get((chain, seq)) != lookup[(chain, seq)]
        )
    return found


def make_checkpoint(
    session: Session, key: bytes, now: datetime | None = None
) -> tuple[AuditCheckpoint | None, list[Break]]:
    """Sign every chain's current head, numbered after the previous checkpoint and linked to it.

    Refused (None and the findings) when the chains no longer extend what the previous checkpoint
    signed, when a head disagrees with its events, or the previous checkpoint's signature fails:
    signing then would launder the tampering.
    """
    counter = lock_head(session, CHECKPOINT_CHAIN)
    heads, found = _current_heads(session)
    previous = latest_checkpoint(session)
    if previous is not None:
        if not signature_valid(previous, key):
            found.append(Break(None, CHECKPOINT_CHAIN, previous.seq, "检查点签名无效（检查点已被篡改）"))
        else:
            found.extend(_extends(session, heads, previous))
    if previous is not None and previous.seq != counter.seq or previous is None and counter.seq:
        found.append(Break(None, CHECKPOINT_CHAIN, counter.seq,
                           f"签名检查点记载共{counter.seq}个，实存最新为第{previous.seq if previous else 0}号"))  # fmt: skip
    if found:
        return None, found
    checkpoint = AuditCheckpoint(
        seq=counter.seq + 1,
        created_at=now or utcnow(),
        heads=canonical_json({chain: [seq, digest] for chain, (seq, digest) in sorted(heads.items())}),
        prev_signature=counter.hash,
        scheme=2,
    )
    checkpoint.heads_hash = _heads_hash(checkpoint.heads)
    checkpoint.signature = _sign(key, _signed_text(checkpoint))
    counter.seq, counter.hash = checkpoint.seq, checkpoint.signature
    session.add(checkpoint)
    return checkpoint, []


def checkpoint_due(session: Session, interval: timedelta, now: datetime) -> bool:
    """Whether the schedule calls for a checkpoint: none yet, or the latest is `interval` old and a
    chain has moved since (an unchanged trail needs no new signature)."""
    latest = latest_checkpoint(session)
    if latest is None:
        return session.scalar(select(AuditHead.chain).where(AuditHead.chain != CHECKPOINT_CHAIN).limit(1)) is not None
    if latest.created_at > now - interval:
        return False
    moved = select(AuditHead.chain, AuditHead.seq).where(AuditHead.chain != CHECKPOINT_CHAIN, AuditHead.seq > 0)
    return dict(session.execute(moved).tuples().all()) != {c: s for c, (s, _d) in heads_of(latest).items()}


def export(session: Session, key: bytes) -> dict[str, Any]:
    """Every checkpoint as JSON, the whole signed, to keep where the database's administrators cannot write."""
    items = [
        {
            "seq": c.seq,
            "created_at": c.created_at.isoformat(timespec="microseconds"),
            "heads": json.loads(c.heads),
            "heads_hash": c.heads_hash,
            "prev_signature": c.prev_signature,
            "scheme": c.scheme,
            "signature": c.signature,
        }  # fmt: skip
        for c in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq))
    ]
    body = {"format": EXPORT_FORMAT, "exported_at": utcnow().isoformat(timespec="seconds"), "checkpoints": items}
    return {**body, "signature": _sign(key, canonical_json(body))}


def load_export(data: Any, key: bytes) -> list[AuditCheckpoint]:
    """An exported copy's checkpoints, each with a valid signature; 422 for anything else."""
    if (
        not isinstance(data, dict)
        or data.get("format") != EXPORT_FORMAT
        or not isinstance(data.get("checkpoints"), list)
    ):
        message = Text(N_("不是审计检查点导出文件（应为 %(format)s 格式）。"), format=EXPORT_FORMAT)
        raise Invalid("export_format", message, [{"field": "format", "rule": EXPORT_FORMAT, "message": message}])
    body = {k: v for k, v in data.items() if k != "signature"}
    if not hmac.compare_digest(_sign(key, canonical_json(body)), str(data.get("signature", ""))):
        message = Text(N_("导出文件的签名无效：文件已被修改，或不是用本系统的 AUDIT_KEY 导出的。"))
        raise Invalid("export_signature", message, [{"field": "signature", "rule": "hmac", "message": message}])
    try:
        checkpoints = [
            AuditCheckpoint(
                seq=int(item["seq"]),
                created_at=datetime.fromisoformat(item["created_at"]),
                heads=canonical_json(item["heads"]),
                heads_hash=item["heads_hash"],
                prev_signature=item["prev_signature"],
                scheme=int(item["scheme"]),
                signature=item["signature"],
            )  # fmt: skip
            for item in data["checkpoints"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        message = Text(N_("导出文件的检查点内容不完整：%(why)s"), why=str(exc))
        raise Invalid("export_format", message, [{"field": "checkpoints", "rule": "complete",
                                                  "message": message}]) from exc  # fmt: skip
    return checkpoints


def compare_with_export(session: Session, exported: list[AuditCheckpoint]) -> tuple[list[Break], Reference | None]:
    """Every exported checkpoint must still be in the database, unchanged; the chains are then
    checked against the latest exported one (the Reference returned, for verify())."""
    found: list[Break] = []
    stored = dict(session.execute(select(AuditCheckpoint.seq, AuditCheckpoint.signature)).tuples().all())
    for checkpoint in exported:
        if checkpoint.seq not in stored:
            found.append(
                Break(
                    None,
                    CHECKPOINT_CHAIN,
                    checkpoint.seq,
                    f"导出副本中的第{checkpoint.seq}号签名检查点已从数据库中删除",
                )
            )
        elif stored[checkpoint.seq] != checkpoint.signature:
            found.append(
                Break(
                    None, CHECKPOINT_CHAIN, checkpoint.seq, f"第{checkpoint.seq}号签名检查点与导出副本不同（已被替换）"
                )
            )
    latest = max(exported, key=lambda c: c.seq, default=None)
    if latest is None:
        return found, None
    ref = reference(latest)
    return found, Reference(ref.heads, "导出副本中的" + ref.label)
