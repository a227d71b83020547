"""docs/law.md names, for each legal rule, the code that applies it and the test that holds it: every
name it gives must exist, so the table cannot drift from the code without this test failing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database

ROOT = Path(__file__).resolve().parent.parent
LAW = ROOT / "docs" / "law.md"

PATH = re.compile(r"`((?:approvals|app|tests|notifications|workflows)/[\w/]+\.\w+)(?:::(\w+))?`")
BARE_TEST = re.compile(r"`::(\w+)`")
CODE_NAME = re.compile(r"`([A-Za-z_]\w*)`")


def _rows() -> list[tuple[int, list[str], list[tuple[Path, str | None]]]]:
    """Each rule row with the (file, name) pairs it names. A bare `name` or `::name` belongs to the last
    file named before it in the same column of the same table, so a table names each file once."""
    rows = []
    last: dict[int, Path] = {}
    for number, line in enumerate(LAW.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#"):
            last = {}
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or set(cells[0]) <= {"-", ":"} or cells[0] == "Rule":
            continue
        references: list[tuple[Path, str | None]] = []
        for column in (2, 3):
            for token in re.finditer(r"`[^`]+`", cells[column]):
                if match := PATH.fullmatch(token.group(0)):
                    last[column] = ROOT / match.group(1)
                    references.append((last[column], match.group(2)))
                elif (match := BARE_TEST.fullmatch(token.group(0)) or CODE_NAME.fullmatch(token.group(0))) and (
                    column in last
                ):
                    references.append((last[column], match.group(1)))
        rows.append((number, cells, references))
    return rows


def test_the_law_table_has_a_row_for_each_part_of_the_issue() -> None:
    headings = re.findall(r"^## (.+)$", LAW.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(_rows()) >= 20
    assert "§1 Severance" in headings
    assert "§3 The worker congress" in headings


@pytest.mark.parametrize(("line", "cells", "references"), _rows(), ids=[f"line{row[0]}" for row in _rows()])
def test_every_code_and_test_named_in_the_law_table_exists(
    line: int, cells: list[str], references: list[tuple[Path, str | None]]
) -> None:
    assert cells[1], f"docs/law.md:{line} gives no legal source"
    assert any("tests" in path.parts for path, _ in references), f"docs/law.md:{line} names no test"
    assert any("tests" not in path.parts for path, _ in references), f"docs/law.md:{line} names no code"
    for path, name in references:
        assert path.is_file(), f"docs/law.md:{line}: {path.relative_to(ROOT)} does not exist"
        if name is not None:
            text = path.read_text(encoding="utf-8")
            assert re.search(rf"\b{re.escape(name)}\b", text), f"docs/law.md:{line}: {name} not in {path.name}"
            if "tests" in path.parts and name.startswith("test_"):
                assert re.search(rf"def {re.escape(name)}\(", text), f"docs/law.md:{line}: no test {name}"
