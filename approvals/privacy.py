"""What of the workers' personal data each role sees (policy.sees_personal_data).

The enterprise, the union and the bureau see the roster in full. The working group, the supervisor
and the administrator see each worker's name, the ID number masked (mask_id) and the placement
facts, never the birth date, sex, dates of service, wage, contact details or amounts; they cannot
open one worker's record or export the roster. The web pages and the JSON API apply the same rule.
"""

from __future__ import annotations

from typing import Any

from approvals.rules.resident_id import mask_id

# Fields of a roster row (as stored, listed or compared between revisions) that are personal data.
# The medical subsidy and the severity of illness (劳部发〔1994〕481号 Art 6) tell of the worker's health.
PERSONAL_FIELDS = frozenset({"id_number", "spouse_id_number", "disability_card", "phone", "sex", "birth_date",
                             "hire_date", "work_start", "retirement_date", "monthly_wage", "severance",
                             "internal_retirement_cost", "medical_subsidy", "illness_severity"})  # fmt: skip


def hide_personal(row: dict[str, Any]) -> dict[str, Any]:
    """A roster row as those who may not see personal data see it: the ID number masked, the other
    personal fields empty, and the cell values quoted by its warnings left out."""
    shown = {key: None if key in PERSONAL_FIELDS else value for key, value in row.items()}
    if "id_number" in row:
        shown["id_number"] = mask_id(row["id_number"])
    if "warnings" in row:
        shown["warnings"] = [{**warning, "value": ""} for warning in row["warnings"] or []]
    return shown


def hide_personal_in_diff(roster: dict[str, Any]) -> dict[str, Any]:
    """The roster part of a revision diff (added, removed, changed by ID number, names) with the ID
    numbers masked and the changes of personal fields without their values. Two workers whose masked
    numbers coincide stay apart (the second gets "#2")."""
    masked: dict[str, str] = {}
    taken: set[str] = set()
    for number in [*roster["added"], *roster["removed"], *roster["changed"]]:
        if number not in masked:
            shown = base = mask_id(number)
            k = 1
            while shown in taken:
                k += 1
                shown = f"{base}#{k}"
            masked[number] = shown
            taken.add(shown)
    return {
        **roster,
        "added": [masked[n] for n in roster["added"]],
        "removed": [masked[n] for n in roster["removed"]],
        "changed": {
            masked[n]: [
                c if c["path"] not in PERSONAL_FIELDS else {**c, "before": None, "after": None} for c in changes
            ]
            for n, changes in roster["changed"].items()
        },  # fmt: skip
        **({"names": {masked[n]: name for n, name in roster["names"].items()}} if "names" in roster else {}),
    }
