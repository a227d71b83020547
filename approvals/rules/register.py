"""What the enterprise register says and a plan never states itself: whether the firm is a zombie enterprise
to be cleared (拟出清的僵尸企业, 冀人社发〔2018〕38号 §六).

The system administrator keeps the flag in the register (services.accounts.update_enterprise, with its audit
trail). Every reader takes it from there: the risk facts (rules/risk.py, so the gate, the working group's
access and the risk decision table), the published text, the public notice, the plan and drafting pages and
the API's enterprise. A plan's content does not hold it: a value sent with the content (the drafting form or
the API) is checked against the register and refused when it contradicts it, naming the field; one that
agrees is accepted and not stored, the register being its one source. Plans drafted before this rule may
hold a copy in their profile; no reader uses it, and saving the profile drops it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from approvals.i18n import N_, Text

# The register's flags a plan's profile section might be sent with: key in the profile -> label.
REGISTER_FLAGS: dict[str, str] = {"zombie": N_("拟出清的僵尸企业")}
SOURCE = N_("企业登记信息（由系统管理员维护）")


def yes_no(value: bool) -> Text:
    return Text(N_("是")) if value else Text(N_("否"))


def register_conflicts(profile: Mapping[str, Any], registered: Mapping[str, bool]) -> list[dict[str, Any]]:
    """One error (field, rule, message) for each register flag the profile states otherwise than the register."""
    errors = []
    for key, label in REGISTER_FLAGS.items():
        if key not in profile or profile[key] is registered[key]:
            continue
        sent = profile[key]
        message = Text(N_("企业基本情况：“%(label)s”以%(source)s为准，登记为“%(registered)s”，方案中不能填报为"
                          "“%(sent)s”。登记有误的，请联系系统管理员更正企业登记信息。"),
                       label=Text(label), source=Text(SOURCE), registered=yes_no(registered[key]),
                       sent=yes_no(sent) if isinstance(sent, bool) else str(sent))  # fmt: skip
        errors.append({"field": f"profile.{key}", "rule": "register_fact", "message": message})
    return errors


def without_register_flags(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The profile section as a plan stores it: without the register's flags."""
    return {key: value for key, value in profile.items() if key not in REGISTER_FLAGS}


def with_register_flags(profile: Mapping[str, Any], registered: Mapping[str, bool]) -> dict[str, Any]:
    """The profile section as pages and documents show it: its register flags the register's own."""
    return {**without_register_flags(profile), **registered}
