"""Signals the core sends inside the transaction; notifications/ listens (never the reverse)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Plan; kwargs: session, kind, roles (who should hear of it), payload
plan_event = _signals.signal("plan-event")
