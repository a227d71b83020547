"""Every action the code records in the trail has a Chinese label (the audit view and exports show it)."""

from __future__ import annotations

import re

from approvals.audit import ACTION_LABELS
from config import BASE_DIR

ACTION = re.compile(r'\baction="([a-z_]+\.[a-z_]+)"')


def test_every_recorded_action_has_a_label() -> None:
    recorded = {
        match
        for package in ("approvals", "app", "notifications")
        for path in (BASE_DIR / package).rglob("*.py")
        for match in ACTION.findall(path.read_text(encoding="utf-8"))
    }
    assert len(recorded) > 20  # the scan found the services
    assert sorted(recorded - ACTION_LABELS.keys()) == []
