"""Loading the shipped GB/T 2260 regions (administrator task): what a fresh installation needs
before enterprises, working groups, wage figures and reaches can name a region."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.models import Region
from approvals.regions import HEBEI_REGIONS, RegionRow
from approvals.services.accounts import create_region


@dataclass
class RegionsLoaded:
    created: list[str] = field(default_factory=list)  # codes registered now
    present: int = 0  # codes already registered under the same name
    named_otherwise: list[tuple[str, str, str]] = field(default_factory=list)  # code, registered, shipped


def load_regions(session: Session, *, actor: Actor, rows: Iterable[RegionRow] = HEBEI_REGIONS) -> RegionsLoaded:
    """Register every shipped region not registered yet (idempotent), each recorded in the audit trail
    as when an administrator adds it; a code registered under another name is kept and reported."""
    registered: dict[str, str] = dict(session.execute(select(Region.code, Region.name)).tuples().all())
    loaded = RegionsLoaded()
    for row in sorted(rows, key=lambda r: r.code):  # a parent's code sorts before its children's
        if row.code not in registered:
            create_region(session, actor=actor, code=row.code, name=row.name)
            loaded.created.append(row.code)
        elif registered[row.code] == row.name:
            loaded.present += 1
        else:
            loaded.named_otherwise.append((row.code, registered[row.code], row.name))
    return loaded
