"""What a database integrity error means for the person who caused it.

The services check every user-entered fact that must be unique before writing it, so a unique
violation reaches here only when another request stored the same fact in between. When that fact is
the user's input (a username, a USCC, a worker's ID number...), the answer names the field: it is a
duplicate, not a conflict to retry. A unique violation on bookkeeping (the audit chain's sequence,
a plan's revision number or workflow row) and a vanished foreign row are true races:
`concurrent_update`. Anything else (a NOT NULL or CHECK constraint) is a fault of ours, not of the input.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from approvals.errors import ApprovalError, Conflict
from approvals.i18n import N_

# (table, unique columns) → (field, message) for the facts users type in; the messages (marked N_) are said
# in the reader's language, as every refusal is (app/errors.py said).
USER_FACTS: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {
    ("user_account", ("username",)): ("username", N_("该用户名已被使用，请换一个。")),
    ("enterprise", ("uscc",)): ("uscc", N_("该统一社会信用代码已登记为另一家企业。")),
    ("region", ("code",)): ("code", N_("该地区代码已登记。")),
    ("roster_worker", ("plan_id", "id_number")): ("id_number", N_("该公民身份号码已在本方案的职工名单中。")),
    ("wage_parameter", ("city_code", "year")): ("year", N_("该市该年度的工资标准已登记。")),
    ("role_grant", ("user_id", "role", "enterprise_id", "region_code", "working_group_id")): (
        "role", N_("该用户已拥有该角色及范围。")),
}  # fmt: skip

RACE_MESSAGE = N_("数据已被同时修改，本次操作未保存，请重试。")

# SQLite: "UNIQUE constraint failed: user_account.username" (a primary key says the same).
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_SQLITE_FOREIGN_KEY = "FOREIGN KEY constraint failed"
# PostgreSQL's SQLSTATE classes: 23505 unique, 23503 foreign key.
_PG_UNIQUE, _PG_FOREIGN_KEY = "23505", "23503"


def _unique_columns(exc: IntegrityError) -> tuple[str, tuple[str, ...]] | None:
    """(table, columns) of the unique constraint the statement broke, or None when it broke another kind."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _PG_UNIQUE:
        diag = orig.diag  # type: ignore[union-attr]
        table = db.metadata.tables.get(diag.table_name or "")
        for constraint in [
            *(table.constraints if table is not None else ()),
            *(table.indexes if table is not None else ()),
        ]:
            if constraint.name == diag.constraint_name:
                return table.name, tuple(c.name for c in constraint.columns)  # type: ignore[union-attr]
        return diag.table_name or "", ()
    if found := _SQLITE_UNIQUE.search(str(orig)):
        columns = [part.strip().split(".", 1) for part in found.group(1).split(",")]
        return columns[0][0], tuple(column for _table, column in columns)
    return None


def _foreign_key(exc: IntegrityError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == _PG_FOREIGN_KEY or _SQLITE_FOREIGN_KEY in str(exc.orig)


def integrity_answer(exc: IntegrityError) -> ApprovalError | None:
    """The error to answer with: a duplicate naming its field (409 `duplicate`), a race (409
    `concurrent_update`), or None for a fault of ours."""
    unique = _unique_columns(exc)
    if unique is not None and unique in USER_FACTS:
        field, message = USER_FACTS[unique]
        return Conflict("duplicate", message, [{"field": field, "rule": "unique", "message": message}])
    if unique is not None or _foreign_key(exc):
        return Conflict("concurrent_update", RACE_MESSAGE)
    return None
