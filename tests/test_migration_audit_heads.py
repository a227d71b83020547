"""Migration a7d41c9e2b85 moves the audit chain heads off the plan rows into audit_head and numbers
the checkpoints: existing chains keep verifying, and a tail cut before the migration still shows."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import create_engine, text

from approvals.audit import body_hash
from approvals.rules.content import canonical_json
from tests.test_migrations import _flask, empty_database  # noqa: F401 -- the fixture

BEFORE = "7a4c1e9d2b60"  # the revision before a7d41c9e2b85
KEY = b"migration-test-audit"  # the AUDIT_KEY tests/test_migrations._flask gives the commands


def _chain(chain: str, plan_id: int | None, n: int) -> list[dict]:
    rows, prev = [], ""
    for seq in range(1, n + 1):
        at = datetime(2026, 1, 1, 8, seq)
        body = {"chain": chain, "seq": seq, "prev": prev, "plan": plan_id, "actor_id": None, "actor": "system",
                "role": "system", "action": "plan.updated", "summary": {"n": seq}, "addr": "-",
                "at": at.isoformat(timespec="microseconds")}  # fmt: skip
        prev = body_hash(body)
        rows.append({"chain": chain, "seq": seq, "plan_id": plan_id, "summary": f'{{"n": {seq}}}', "at": at,
                     "prev": body["prev"], "hash": prev})  # fmt: skip
    return rows


def test_heads_move_to_their_own_rows_and_the_chains_still_verify(empty_database):  # noqa: F811
    url = empty_database
    assert _flask("db", "upgrade", BEFORE, url=url).returncode == 0
    engine = create_engine(url)
    plan_one, plan_two, system = _chain("plan:1", 1, 3), _chain("plan:2", 2, 4), _chain("system", None, 2)
    cut = _chain("plan:3", 3, 3)  # its last row deleted before the migration, its plan row recording 3
    heads = {
        "plan:1": [3, plan_one[-1]["hash"]],
        "plan:2": [4, plan_two[-1]["hash"]],
        "system": [2, system[-1]["hash"]],
    }
    signed = canonical_json(heads)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO region (code, name, level) VALUES ('130283', '迁安市', 'county')"))
        conn.execute(text("INSERT INTO enterprise (id, name, uscc, industry, region_code, headcount, zombie) "
                          "VALUES (1, '迁安钢铁', '911302830000000011', 'steel', '130283', 100, false)"))  # fmt: skip
        for plan_id, chain in ((1, plan_one), (2, plan_two), (3, cut)):
            conn.execute(text(
                "INSERT INTO plan (id, enterprise_id, title, status, content, content_hash, revision_number, "
                "roster_digest, created_at, updated_at, audit_seq, audit_head, version) VALUES "
                "(:id, 1, '方案', 'drafting', '{}', 'h', 0, '', '2026-01-01', '2026-01-01', :seq, :head, 7)"
            ), {"id": plan_id, "seq": len(chain), "head": chain[-1]["hash"]})  # fmt: skip
        for row in plan_one + plan_two + system + cut[:-1]:
            conn.execute(text(
                "INSERT INTO audit_event (chain, seq, plan_id, actor_name, actor_role, action, summary, remote_addr, "
                "occurred_at, prev_hash, hash) VALUES (:chain, :seq, :plan_id, 'system', 'system', 'plan.updated', "
                ":summary, '-', :at, :prev, :hash)"
            ), row)  # fmt: skip
        conn.execute(text("INSERT INTO audit_checkpoint (created_at, heads, signature) VALUES (:at, :heads, :sig)"),
                     {"at": datetime(2026, 1, 2), "heads": signed,
                      "sig": hmac.new(KEY, signed.encode(), hashlib.sha256).hexdigest()})  # fmt: skip
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with engine.connect() as conn:
        moved = dict(conn.execute(text("SELECT chain, seq FROM audit_head ORDER BY chain")).tuples().all())
        numbered = conn.execute(text("SELECT seq, scheme, prev_signature FROM audit_checkpoint")).all()
    assert moved == {"checkpoints": 1, "plan:1": 3, "plan:2": 4, "plan:3": 3, "system": 2}  # plan:3 from its row
    assert [tuple(r) for r in numbered] == [(1, 1, "")]
    verified = _flask("audit", "verify", url=url)
    assert verified.returncode == 1
    findings = [line for line in verified.stderr.splitlines() if "链 " in line]
    # The migrated checkpoint still verifies, and so do the intact chains; plan 3 shows its cut
    # and, being in no checkpoint, its unsigned rows.
    assert all("链 plan:3 " in line for line in findings)
    assert any("第3条（记录编号 None）：链尾缺失：链头记载共3条，实存2条" in line for line in findings)
    # Nor is a new checkpoint signed over the cut.
    assert _flask("audit", "checkpoint", url=url).returncode == 1
    # Once the cut chain is gone (plan 3 removed), the first new checkpoint links to the migrated one.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE chain = 'plan:3'"))
        conn.execute(text("DELETE FROM audit_head WHERE chain = 'plan:3'"))
    assert _flask("audit", "checkpoint", url=url).returncode == 0
    verified = _flask("audit", "verify", url=url)
    assert verified.returncode == 0, verified.stderr
    with engine.connect() as conn:
        linked = conn.execute(text("SELECT seq, scheme, prev_signature FROM audit_checkpoint ORDER BY seq")).all()
    assert [(r[0], r[1]) for r in linked] == [(1, 1), (2, 2)]
    assert linked[1][2] != ""
    engine.dispose()
