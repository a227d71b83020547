"""Hostile uploads built in code: a workbook whose cells span the whole sheet, and a ZIP whose
directory lies about its members' sizes. Shared by the reader's tests and the live-server test."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

SHEET_NAME = "职工名单"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="{target}"/></Relationships>'
)
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}'
    "<sheetData>{rows}</sheetData></worksheet>"
)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(rows: str, dimension: str = "", target: str = "worksheets/sheet1.xml") -> bytes:
    """An .xlsx with one sheet whose <sheetData> is `rows` (handwritten XML)."""
    sheet_path = "xl/" + target
    dimension_tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.replace("worksheets/sheet1.xml", target))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(target=target))
        archive.writestr(sheet_path, _SHEET.format(dimension=dimension_tag, rows=rows))
    return buffer.getvalue()


def corner_bomb() -> bytes:
    """The 1.5 KB workbook that made calamine ask for 512 GiB: values in A1 and XFD1048576 only."""
    return workbook('<row r="1"><c r="A1"><v>1</v></c></row>'
                    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')  # fmt: skip


def strings_bomb() -> bytes:
    """A workbook whose shared-strings table declares 2,000,000,000 entries (calamine reserved 48 GB for
    them and aborted) and holds one."""
    data = workbook(roster_rows(["110105194912310029"]))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member.filename, source.read(member))
        archive.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns='
                         '"http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000000000" '
                         'uniqueCount="2000000000"><si><t>a</t></si></sst>')  # fmt: skip
    return out.getvalue()


def roster_rows(ids: list[str]) -> str:
    """A header row and one worker row per ID, as inline strings with references."""
    header = ["公民身份号码", "姓名", "入企时间", "安置渠道"]
    rows = ['<row r="1">' + "".join(inline(f"{'ABCD'[i]}1", h) for i, h in enumerate(header)) + "</row>"]
    for n, number in enumerate(ids, start=2):
        values = [number, f"职工{n}", "2008-03-01", "转岗培训"]
        rows.append(f'<row r="{n}">' + "".join(inline(f"{'ABCD'[i]}{n}", v) for i, v in enumerate(values)) + "</row>")
    return "".join(rows)


def deflate_of_zeros(size: int) -> bytes:
    """Raw DEFLATE of `size` zero bytes (a multiple of 1 MiB), made from one compressed MiB repeated:
    a full flush makes each MiB's blocks independent of what came before."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (size >> 20) + compressor.flush()


def lying_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of raw DEFLATE members (name, compressed bytes, declared uncompressed size, declared CRC):
    the directory and local headers declare them, whatever the data inflates to."""
    out = bytearray()
    directory = bytearray()
    for name, raw, declared, crc in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, len(raw), declared,
                           len(encoded), 0) + encoded + raw  # fmt: skip
        directory += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, crc, len(raw),
                                 declared, len(encoded), 0, 0, 0, 0, 0, offset) + encoded  # fmt: skip
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + end)


def lying_bomb(inflated: int = 2 << 30) -> bytes:
    """An .xlsx-looking ZIP (~2 MB) whose worksheet declares 4 KB and inflates to `inflated` bytes."""
    content = _WORKBOOK.encode()
    small = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    workbook_xml = small.compress(content) + small.flush()
    return lying_zip([("xl/workbook.xml", workbook_xml, len(content), zlib.crc32(content)),
                      ("xl/worksheets/sheet1.xml", deflate_of_zeros(inflated), 4096, 0)])  # fmt: skip
