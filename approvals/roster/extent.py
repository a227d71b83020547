"""Whether a worksheet's cells stay inside a bounded area, found from its XML in chunks before any
spreadsheet reader sees it.

calamine allocates one cell for every position of the rectangle a sheet's cells span: a sheet holding
only A1 and XFD1048576 asks for 17 billion cells (512 GiB) and aborts the process, which no exception
handler can catch. The sheet is refused here when its <dimension ref>, a cell reference (<c r=…>) or,
for cells written without one, the position calamine would give them (counted along their row) lies
beyond the last row or column allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_TAG = 64 * 1024  # an unfinished tag carried from one chunk to the next; no real tag is this long

_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_CELL_REF = b'<c r="'  # how spreadsheet programs write a cell: the reference first
_CELL_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s/>]")
_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)(\s[^>]*)?/?>")
_R_ATTRIBUTE = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]*)\$?(\d+)["']""")
_A1 = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


def column_index(letters: str | bytes) -> int:
    """1-based column of A, B, … XFD."""
    index = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        index = index * 26 + ord(letter) - 64
    return index


def column_letters(index: int) -> str:
    """A, B, … XFD of a 1-based column."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _number_over(limit: int) -> str:
    """A regex for a decimal number (leading zeros allowed) greater than `limit`."""
    digits = str(limit)
    choices = [rf"[1-9]\d{{{len(digits)},}}"]
    for at, digit in enumerate(digits):
        if digit != "9":
            choices.append(digits[:at] + f"[{int(digit) + 1}-9]" + rf"\d{{{len(digits) - at - 1}}}")
    return "0*(?:" + "|".join(choices) + ")"


def _letters_over(limit: int) -> str:
    """A regex for column letters (either case) naming a column after `limit`."""
    letters = column_letters(limit)
    choices = [f"[A-Za-z]{{{len(letters) + 1},}}"]
    for at, letter in enumerate(letters):
        if letter != "Z":
            after = chr(ord(letter) + 1)
            choices.append("".join(f"[{c}{c.lower()}]" for c in letters[:at])
                           + f"[{after}-Z{after.lower()}-z]" + f"[A-Za-z]{{{len(letters) - at - 1}}}")  # fmt: skip
    return "(?:" + "|".join(choices) + ")"


@lru_cache(maxsize=8)
def _beyond(rows: int, columns: int) -> re.Pattern[bytes]:
    """A cell reference written the usual way (`<c r="…"`) past row `rows` or column `columns`."""
    pattern = rf'<c r="(\$?(?:{_letters_over(columns)}\$?\d+|[A-Za-z]{{1,4}}\$?{_number_over(rows)}))"'
    return re.compile(pattern.encode())


@dataclass(frozen=True)
class Beyond:
    """The first reference found outside the allowed area, as written, and where it points (1-based)."""

    ref: str
    row: int
    column: int


class TagTooLong(ValueError):
    """A tag longer than MAX_TAG: not from a spreadsheet program."""


class ExtentScanner:
    """Fed a worksheet's XML in chunks; `feed` answers the first reference beyond `rows` × `columns`.

    Cells written as spreadsheet programs write them (`<c r="B7"`, the reference first) are checked by one
    regex search in C per chunk, which creates no object per cell. A chunk holding any other cell tag (no
    reference, the reference later, a namespace prefix) is walked tag by tag, placing each cell as calamine
    places it: slower, and only for files no spreadsheet program writes.
    """

    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        self.beyond = _beyond(rows, columns)
        self.carry = b""
        self.row = 0  # the current row, for cells without a reference
        self.column = 0  # the last column used in it

    def feed(self, chunk: bytes) -> Beyond | None:
        data = self.carry + chunk if self.carry else chunk
        cut = data.rfind(b"<")
        if cut != -1 and data.find(b">", cut) == -1:  # an unfinished tag: read it with the next chunk
            self.carry, data = data[cut:], data[:cut]
            if len(self.carry) > MAX_TAG:
                raise TagTooLong(len(self.carry))
        else:
            self.carry = b""
        if b"dimension" in data:
            found = self._dimension(data)
            if found:
                return found
        usual = data.count(_CELL_REF)
        # every "<c" a usual cell (one count), else every cell tag counted exactly (<cols>, <cfRule> …)
        only_usual = usual == data.count(b"<c") or usual == sum(map(data.count, _CELL_STARTS))
        if only_usual and not (b":c" in data and _PREFIXED_CELL.search(data)):
            outside = self.beyond.search(data)
            if outside:
                return self._outside(outside[1].decode())
            if usual:
                last = data.rfind(_CELL_REF)
                attribute = _R_ATTRIBUTE.search(data, last, last + 40)
                self.row = int(attribute[2]) if attribute else self.row
            return None
        return self._walk(data)

    def _outside(self, ref: str) -> Beyond | None:
        found = _A1.fullmatch(ref.strip())
        if not found:
            return None
        beyond = Beyond(ref, int(found[2]), column_index(found[1]))
        return beyond if beyond.row > self.rows or beyond.column > self.columns else None

    def _dimension(self, data: bytes) -> Beyond | None:
        for match in _DIMENSION.finditer(data):
            for corner in match[1].decode("ascii", "replace").split(":"):
                found = self._outside(corner)
                if found:
                    return found
        return None

    def _walk(self, data: bytes) -> Beyond | None:
        for match in _ROW_OR_CELL.finditer(data):
            ref = _R_ATTRIBUTE.search(match[2] or b"")
            if match[1] == b"row":
                self.row = int(ref[2]) if ref else self.row + 1
                self.column = 0
                continue
            if ref and ref[1]:
                row, self.column = int(ref[2]), column_index(ref[1])
            else:
                row, self.column = self.row, self.column + 1
            if row > self.rows or self.column > self.columns:
                return Beyond(f"{column_letters(self.column)}{row}", row, self.column)
        return None
