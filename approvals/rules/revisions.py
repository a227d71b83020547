"""Field-level differences between two revisions of a plan, roster rows included."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    path: str  # e.g. "funding.sources[2].amount"
    before: Any
    after: Any


@dataclass
class RosterDiff:
    added: list[str] = field(default_factory=list)  # ID numbers
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[Change]] = field(default_factory=dict)  # ID number → its changed fields

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed,
                "changed": {k: [asdict(c) for c in v] for k, v in self.changed.items()}}  # fmt: skip


_ABSENT = object()  # absent on one side: shown as null, but never equal to a real null


def diff_values(before: Any, after: Any, path: str = "") -> list[Change]:
    """Every leaf that differs, with its path; objects by key, lists by position."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in sorted(set(before) | set(after), key=str):
            sub = f"{path}.{key}" if path else str(key)
            changes += diff_values(before.get(key, _ABSENT), after.get(key, _ABSENT), sub)
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            left = before[index] if index < len(before) else _ABSENT
            right = after[index] if index < len(after) else _ABSENT
            changes += diff_values(left, right, f"{path}[{index + 1}]")
        return changes
    if before is not _ABSENT and after is not _ABSENT and before == after:
        return []
    return [Change(path, None if before is _ABSENT else before, None if after is _ABSENT else after)]


def diff_roster(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> RosterDiff:
    """Workers added, removed and changed (field by field), keyed by ID number."""
    result = RosterDiff(
        added=sorted(set(after) - set(before)),
        removed=sorted(set(before) - set(after)),
    )
    for number in sorted(set(before) & set(after)):
        changes = diff_values(before[number], after[number])
        if changes:
            result.changed[number] = changes
    return result
