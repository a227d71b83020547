"""Reading the members of an uploaded ZIP archive (.xlsx, .docx) within fixed bounds.

The sizes a ZIP file declares are written by whoever made it: a 1 MB file may declare small members
that inflate to gigabytes. Members are inflated here in bounded chunks from their raw bytes, counting
the bytes really produced, and refused as soon as a member or the whole archive passes its bound,
inflates beyond the size it declares, or inflates faster than any real document compresses. What is
accepted inflates to exactly what it declares, so a reader given the same bytes afterwards (calamine)
inflates no more than was checked here. Pure: no I/O beyond the bytes given.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from approvals.i18n import N_, Text

CHUNK = 1024 * 1024  # decompressed bytes produced per step
_INPUT = 64 * 1024  # compressed bytes fed per step
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED


@dataclass(frozen=True)
class ArchiveLimits:
    max_total: int = 200 * 1024 * 1024  # all members, inflated
    max_member: int = 150 * 1024 * 1024  # one member, inflated
    max_ratio: int = 100  # inflated : compressed, once a member passes ratio_floor
    ratio_floor: int = 10 * 1024 * 1024
    max_members: int = 10_000


LIMITS = ArchiveLimits()


class ArchiveRefused(Exception):
    """Why an archive is not read: `rule` (zip_bomb or corrupt) and a clause for the message (a Text: the web
    interface says it in the reader's language)."""

    def __init__(self, rule: str, reason: Text) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def check_declared(members: list[zipfile.ZipInfo], limits: ArchiveLimits = LIMITS) -> None:
    """Refuse from the central directory alone: too many members, or declared sizes over the bounds."""
    if len(members) > limits.max_members:
        raise ArchiveRefused(
            "zip_bomb", Text(N_("包含 %(n)s 个内部文件（上限 %(max)s）"), n=len(members), max=limits.max_members)
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_total:
        raise ArchiveRefused(
            "zip_bomb",
            Text(N_("解压后约 %(size)s，超过上限 %(max)s"), size=size_text(total), max=size_text(limits.max_total)),
        )
    for member in members:
        _check_size(member.filename, member.file_size, member.compress_size, limits)


def _check_size(name: str, size: int, compressed: int, limits: ArchiveLimits) -> None:
    if size > limits.max_member:
        raise ArchiveRefused(
            "zip_bomb", Text(N_("内部文件 %(name)s 解压后超过 %(max)s"), name=name, max=size_text(limits.max_member))
        )
    if size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1):
        ratio = size // max(compressed, 1)
        raise ArchiveRefused(
            "zip_bomb",
            Text(N_("内部文件压缩比异常（%(ratio)s:1，解压后 %(size)s）"), ratio=ratio, size=size_text(size)),
        )


class BoundedArchive:
    """The members of one archive, each inflated in chunks of at most CHUNK bytes and counted against
    the bounds; the running total spans every member read through this object."""

    def __init__(self, data: bytes, limits: ArchiveLimits = LIMITS) -> None:
        self.data = memoryview(data)
        self.limits = limits
        self.total = 0
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.members = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
            raise ArchiveRefused("corrupt", Text(N_("不是完整的 ZIP 文件"))) from exc
        check_declared(self.members, limits)

    def chunks(self, member: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's content in pieces, raising ArchiveRefused as soon as a bound is passed or the
        content differs from what the directory declares (size, CRC)."""
        if member.flag_bits & 0x1:
            raise ArchiveRefused("corrupt", Text(N_("内部文件 %(name)s 已加密"), name=member.filename))
        if member.compress_type not in (_STORED, _DEFLATED):
            raise ArchiveRefused("corrupt", Text(N_("内部文件 %(name)s 使用了不支持的压缩方式"), name=member.filename))
        raw = self._raw(member)
        produced, crc = 0, 0
        for piece in _inflate(raw) if member.compress_type == _DEFLATED else _stored(raw):
            produced += len(piece)
            self.total += len(piece)
            crc = zlib.crc32(piece, crc)
            if produced > member.file_size:
                raise ArchiveRefused("zip_bomb", Text(N_("内部文件 %(name)s 解压后的实际大小超过其声明的大小（声明 %(size)s）"),
                                                      name=member.filename, size=size_text(member.file_size)))  # fmt: skip
            _check_size(member.filename, produced, member.compress_size, self.limits)
            if self.total > self.limits.max_total:
                raise ArchiveRefused(
                    "zip_bomb", Text(N_("解压后超过上限 %(max)s"), max=size_text(self.limits.max_total))
                )
            yield piece
        if produced != member.file_size or crc != member.CRC:
            raise ArchiveRefused(
                "corrupt", Text(N_("内部文件 %(name)s 的内容与目录中记录的大小或校验值不符"), name=member.filename)
            )

    def read(self, member: zipfile.ZipInfo) -> bytes:
        return b"".join(self.chunks(member))

    def _raw(self, member: zipfile.ZipInfo) -> memoryview:
        """The member's compressed bytes, located through its local header (as every reader does)."""
        start = member.header_offset
        header = bytes(self.data[start : start + _LOCAL_HEADER.size])
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise ArchiveRefused("corrupt", Text(N_("内部文件 %(name)s 的位置信息有误"), name=member.filename))
        fields = _LOCAL_HEADER.unpack(header)
        begin = start + _LOCAL_HEADER.size + fields[9] + fields[10]
        end = begin + member.compress_size
        if end > len(self.data):
            raise ArchiveRefused("corrupt", Text(N_("内部文件 %(name)s 不完整"), name=member.filename))
        return self.data[begin:end]


def _stored(raw: memoryview) -> Iterator[bytes]:
    for at in range(0, len(raw), CHUNK):
        yield bytes(raw[at : at + CHUNK])


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """Raw DEFLATE inflated at most CHUNK bytes at a time, however much one input step would produce."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for at in range(0, len(raw), _INPUT):
        pending = bytes(raw[at : at + _INPUT])
        while pending:
            try:
                piece = inflater.decompress(pending, CHUNK)
            except zlib.error as exc:
                raise ArchiveRefused("corrupt", Text(N_("压缩数据已损坏"))) from exc
            pending = inflater.unconsumed_tail
            if piece:
                yield piece
            if inflater.eof:
                return
    tail = inflater.flush()
    if tail:
        yield tail
    if not inflater.eof:
        raise ArchiveRefused("corrupt", Text(N_("压缩数据不完整")))
