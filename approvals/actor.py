"""Who is acting, from where: passed to every service so the trail can attribute it. A person (`user` set) or
nobody with an account: the system itself (timers) or the public (the notice page); `person` is the user of a step
only a person may take."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.errors import NotAllowed
from approvals.i18n import N_, Text
from approvals.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None  # None for the system itself (timers) or the public (the notice page)
    remote_addr: str = "-"
    anonymous: str = "system"  # the name in the trail when there is no user

    @property
    def name(self) -> str:
        return self.user.username if self.user else self.anonymous

    @property
    def person(self) -> User:
        """The user acting, for a step only a person may take: the system (a timer) or the public is refused
        with an error the caller sees, not an assert (`python -O` drops asserts)."""
        if self.user is None:
            raise NotAllowed("person_required", Text(N_("此操作须由登录的用户办理，系统或公众不能办理。")))
        return self.user


SYSTEM = Actor(None, "-")
PUBLIC_ROLE = "public"  # the trail's role for someone without an account, e.g. a worker raising an objection


def public(remote_addr: str) -> Actor:
    """Someone without an account, known only by the address the request came from."""
    return Actor(None, remote_addr, PUBLIC_ROLE)
