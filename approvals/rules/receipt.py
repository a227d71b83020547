"""The receipt code (受理码) a worker gets for an objection: the key to follow it on the public page.

Twelve characters drawn by `secrets` from an alphabet without the look-alikes 0/O, 1/I/L (31 symbols:
about 59 bits), shown in three groups of four. It is only half of the key: the lookup also needs the last
four characters of the objector's ID number, and a wrong code and a wrong tail answer alike.
"""

from __future__ import annotations

import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4
ID_TAIL = 4


def new_code() -> str:
    """A fresh code, stored without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """The code as a person reads it: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """The stored form of what a worker typed (any case, spaces or dashes), or None when it cannot be a code."""
    code = "".join(ch for ch in typed.upper() if ch not in " -\u3000－—")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def tail_matches(id_number: str, typed: str) -> bool:
    """Whether `typed` is the ID's last four characters (an X in either case), in constant time."""
    tail = typed.strip().upper()
    return len(tail) == ID_TAIL and hmac.compare_digest(id_number[-ID_TAIL:].upper().encode(), tail.encode())
