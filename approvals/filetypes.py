"""What a file really is, from its bytes (never its name): signatures and the members of ZIP-based formats.

Shared by the roster reader (to tell a clerk what they uploaded instead of a roster) and the funding
evidence (to accept only PDF, JPEG, PNG, .xlsx and .docx). Pure: no I/O beyond the bytes given.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from approvals.i18n import N_

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: .xls, .doc and encrypted OOXML


@dataclass(frozen=True)
class FileKind:
    kind: str  # short code: pdf, png, jpeg, xlsx, docx, zip …
    label: str  # in Chinese, for messages


SIGNATURES = (
    (b"%PDF", FileKind("pdf", N_("PDF 文档"))),
    (b"\x89PNG\r\n\x1a\n", FileKind("png", N_("PNG 图片"))),
    (b"\xff\xd8\xff", FileKind("jpeg", N_("JPEG 图片"))),
    (b"GIF87a", FileKind("gif", N_("GIF 图片"))),
    (b"GIF89a", FileKind("gif", N_("GIF 图片"))),
    (b"II*\x00", FileKind("tiff", N_("TIFF 图片"))),
    (b"MM\x00*", FileKind("tiff", N_("TIFF 图片"))),
    (b"Rar!\x1a\x07", FileKind("rar", N_("RAR 压缩包"))),
    (b"7z\xbc\xaf\x27\x1c", FileKind("7z", N_("7z 压缩包"))),
    (b"\x1f\x8b", FileKind("gzip", N_("gzip 压缩包"))),
    (b"{\\rtf", FileKind("rtf", N_("RTF 文档"))),
    (OLE2, FileKind("ole2", N_("Excel 97-2003 工作簿（.xls）或其他旧版 Office 文件"))),
)


def by_signature(data: bytes) -> FileKind | None:
    """The format whose signature starts the bytes, or None."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp" or (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return FileKind("media", N_("图片或视频文件"))
    return None


def zip_kind(archive: zipfile.ZipFile) -> FileKind:
    """Which ZIP-based format an archive is, from its member names (nothing is decompressed but a
    1-member OpenDocument mimetype)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return FileKind("xlsx", N_("Excel 工作簿（.xlsx）"))
    if "xl/workbook.bin" in names:
        return FileKind("xlsb", N_("Excel 二进制工作簿（.xlsb）"))
    if "word/document.xml" in names:
        return FileKind("docx", N_("Word 文档（.docx）"))
    if "ppt/presentation.xml" in names:
        return FileKind("pptx", N_("PowerPoint 演示文稿（.pptx）"))
    if "mimetype" in names and "content.xml" in names:
        try:
            with archive.open("mimetype") as member:
                mimetype = member.read(100)  # not the whole member, whatever size it declares
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
            mimetype = b""
        if b"spreadsheet" in mimetype:
            return FileKind("ods", N_("OpenDocument 表格（.ods）"))
        return FileKind("odf", N_("OpenDocument 文档"))
    return FileKind("zip", N_("ZIP 压缩包"))
