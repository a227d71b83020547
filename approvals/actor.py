"""Who is acting, from where: passed to every service so the trail can attribute it."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None  # None for the system itself (timers)
    remote_addr: str = "-"

    @property
    def name(self) -> str:
        return self.user.username if self.user else "system"


SYSTEM = Actor(None, "-")
