"""Who is acting, from where: passed to every service so the trail can attribute it."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None  # None for the system itself (timers) or the public (the notice page)
    remote_addr: str = "-"
    anonymous: str = "system"  # the name in the trail when there is no user

    @property
    def name(self) -> str:
        return self.user.username if self.user else self.anonymous


SYSTEM = Actor(None, "-")
PUBLIC_ROLE = "public"  # the trail's role for someone without an account, e.g. a worker raising an objection


def public(remote_addr: str) -> Actor:
    """Someone without an account, known only by the address the request came from."""
    return Actor(None, remote_addr, PUBLIC_ROLE)
