"""A Parquet file made of the leading row groups of another, kept byte for byte, and row groups written anew.

A rerun of ``ingest`` that adds a report after the others (reports are in id order, and ids that begin with the
year put a new year's reports last) writes, in every table, the same leading row groups the previous run
wrote. Arrow can only write a row group it encodes itself, so those groups were decoded and encoded again (most
of such a rerun's time). Here their bytes are copied instead, the new groups are written to a file of their own
by Arrow, and the two are joined under one footer: the previous file's, with its row groups those kept and the
new ones, their byte offsets moved to where they now lie. The result is the file Arrow writes when it writes
every group itself, byte for byte.

The footer is Thrift (compact protocol), read and written here as it stands, field by field. A file this
module cannot read back exactly, or one with what it does not move (page indexes, bloom filters, encryption,
column chunks in other files), is never joined: :func:`read_footer` answers None and the caller encodes.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import NamedTuple

MAGIC = b"PAR1"

# Thrift compact protocol types
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)

# Parquet's footer fields this module reads or changes (parquet.thrift)
FILE_NUM_ROWS, FILE_ROW_GROUPS = 3, 4
FILE_ENCRYPTION = (8, 9)  # encryption_algorithm, footer_signing_key_metadata
GROUP_COLUMNS, GROUP_NUM_ROWS, GROUP_FILE_OFFSET, GROUP_COMPRESSED_SIZE, GROUP_ORDINAL = 1, 3, 5, 6, 7
CHUNK_FILE_PATH, CHUNK_FILE_OFFSET, CHUNK_META = 1, 2, 3
CHUNK_ELSEWHERE = (4, 5, 6, 7, 8, 9)  # page indexes, encryption: not moved here
META_OFFSETS = (9, 10, 11)  # data_page_offset, index_page_offset, dictionary_page_offset
META_BLOOM = (14, 15)  # bloom_filter_offset, bloom_filter_length: not moved here


class Field(NamedTuple):
    id: int
    type: int
    value: object


# ---------------------------------------------------------------------------------------------------------------
# Thrift compact protocol: a struct is a list of Field in the order read; a list is (element type, values); a
# map is (key type, value type, pairs); a double stays its 8 bytes.
# ---------------------------------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def byte(self) -> int:
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise ValueError("past the end")
        value = self.data[self.at:self.at + n]
        self.at += n
        return value

    def value(self, kind: int):
        if kind in (_TRUE, _FALSE):  # an element of a list (a field's bool is in its header)
            return self.byte() == _TRUE
        if kind == _BYTE:
            return self.byte()
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _DOUBLE:
            return self.take(8)
        if kind == _BINARY:
            return self.take(self.varint())
        if kind in (_LIST, _SET):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return element, [self.value(element) for _ in range(size)]
        if kind == _MAP:
            size = self.varint()
            if not size:
                return 0, 0, []
            types = self.byte()
            key, value = types >> 4, types & 0x0F
            return key, value, [(self.value(key), self.value(value)) for _ in range(size)]
        if kind == _STRUCT:
            return self.struct()
        raise ValueError(f"unknown Thrift type {kind}")

    def struct(self) -> list[Field]:
        fields, last = [], 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            number = last + delta if delta else self.zigzag()
            value = (kind == _TRUE) if kind in (_TRUE, _FALSE) else self.value(kind)
            fields.append(Field(number, kind, value))
            last = number


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _value(kind: int, value) -> bytes:
    if kind in (_TRUE, _FALSE):
        return bytes([_TRUE if value else _FALSE])
    if kind == _BYTE:
        return bytes([value])
    if kind in (_I16, _I32, _I64):
        return _zigzag(value)
    if kind == _DOUBLE:
        return value
    if kind == _BINARY:
        return _varint(len(value)) + value
    if kind in (_LIST, _SET):
        element, values = value
        header = bytes([(len(values) << 4) | element]) if len(values) < 15 else \
            bytes([0xF0 | element]) + _varint(len(values))
        return header + b"".join(_value(element, v) for v in values)
    if kind == _MAP:
        key, item, pairs = value
        if not pairs:
            return b"\x00"
        return _varint(len(pairs)) + bytes([(key << 4) | item]) + \
            b"".join(_value(key, k) + _value(item, v) for k, v in pairs)
    if kind == _STRUCT:
        return encode_struct(value)
    raise ValueError(f"unknown Thrift type {kind}")


def encode_struct(fields: list[Field]) -> bytes:
    """A struct in Thrift's compact protocol (the inverse of reading it)."""
    out, last = bytearray(), 0
    for number, kind, value in fields:
        header_kind = (_TRUE if value else _FALSE) if kind in (_TRUE, _FALSE) else kind
        delta = number - last
        if 0 < delta <= 15:
            out.append((delta << 4) | header_kind)
        else:
            out.append(header_kind)
            out += _zigzag(number)
        if kind not in (_TRUE, _FALSE):
            out += _value(kind, value)
        last = number
    out.append(0)
    return bytes(out)


def decode_struct(data: bytes) -> list[Field]:
    """A struct read from Thrift's compact protocol; ValueError when ``data`` is not exactly one."""
    reader = _Reader(data)
    fields = reader.struct()
    if reader.at != len(data):
        raise ValueError("bytes after the struct")
    return fields


def _get(fields: list[Field], number: int, default=None):
    return next((f.value for f in fields if f.id == number), default)


def _set(fields: list[Field], number: int, value) -> list[Field]:
    return [f._replace(value=value) if f.id == number else f for f in fields]


# ---------------------------------------------------------------------------------------------------------------
# Footers
# ---------------------------------------------------------------------------------------------------------------
class Footer(NamedTuple):
    """A Parquet file's footer, read: its fields, its row groups' fields, and where each group's bytes begin
    (and, last, where the footer begins)."""

    fields: list[Field]
    groups: list[list[Field]]
    starts: list[int]


def read_footer(path: str | Path) -> Footer | None:
    """The footer of the Parquet file ``path``, or None when its row groups cannot be kept and moved here: a
    footer not written back exactly as read, row groups not lying one after another from the file's start, or
    anything whose offsets this module does not move."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(size - 8)
            tail = handle.read(8)
            if size < 12 or tail[4:] != MAGIC:
                return None
            length = struct.unpack("<I", tail[:4])[0]
            begin = size - 8 - length
            handle.seek(begin)
            data = handle.read(length)
            handle.seek(0)
            if handle.read(4) != MAGIC:
                return None
        fields = decode_struct(data)
        if encode_struct(fields) != data or any(_get(fields, n) is not None for n in FILE_ENCRYPTION):
            return None
        groups = _get(fields, FILE_ROW_GROUPS, (_STRUCT, []))[1]
        starts, at = [], len(MAGIC)
        for group in groups:
            begin_of, size_of = _group_span(group)
            if begin_of != at:
                return None
            starts.append(at)
            at += size_of
        if at != begin:
            return None
        return Footer(fields, groups, starts + [begin])
    except (OSError, ValueError, IndexError, TypeError, struct.error):
        return None


def _group_span(group: list[Field]) -> tuple[int, int]:
    """Where a row group's bytes begin and how many there are (ValueError for what is not moved here)."""
    begins, total = [], 0
    for chunk in _get(group, GROUP_COLUMNS)[1]:
        if _get(chunk, CHUNK_FILE_PATH) or any(_get(chunk, n) is not None for n in CHUNK_ELSEWHERE):
            raise ValueError("column chunk elsewhere, or a page index")
        meta = _get(chunk, CHUNK_META)
        if meta is None or any(_get(meta, n) is not None for n in META_BLOOM):
            raise ValueError("no column metadata, or a bloom filter")
        offsets = [_get(meta, n) for n in META_OFFSETS if _get(meta, n) is not None]
        begins.append(min(offsets))
        total += _get(meta, 7)  # total_compressed_size: the chunk's pages with their headers
    if _get(group, GROUP_COMPRESSED_SIZE) not in (None, total):
        raise ValueError("row group size disagrees with its chunks")
    return min(begins), total


def _moved(group: list[Field], shift: int, ordinal: int) -> list[Field]:
    """A row group's fields with its byte offsets moved by ``shift`` and its ordinal set."""
    chunks = []
    for chunk in _get(group, GROUP_COLUMNS)[1]:
        meta = _get(chunk, CHUNK_META)
        for number in META_OFFSETS:
            if _get(meta, number) is not None:
                meta = _set(meta, number, _get(meta, number) + shift)
        if _get(chunk, CHUNK_FILE_OFFSET):  # 0 where the writer leaves it unset
            chunk = _set(chunk, CHUNK_FILE_OFFSET, _get(chunk, CHUNK_FILE_OFFSET) + shift)
        chunks.append(_set(chunk, CHUNK_META, meta))
    group = _set(group, GROUP_COLUMNS, (_STRUCT, chunks))
    if _get(group, GROUP_FILE_OFFSET) is not None:
        group = _set(group, GROUP_FILE_OFFSET, _get(group, GROUP_FILE_OFFSET) + shift)
    if _get(group, GROUP_ORDINAL) is not None:
        group = _set(group, GROUP_ORDINAL, ordinal)
    return group


def same_layout(one: Footer, other: Footer) -> bool:
    """Whether two footers agree on everything but their row groups (schema, key-value metadata, writer)."""
    drop = (FILE_NUM_ROWS, FILE_ROW_GROUPS)
    return [f for f in one.fields if f.id not in drop] == [f for f in other.fields if f.id not in drop]


def splice(previous: str | Path, footer: Footer, kept: int, new: str | Path, new_footer: Footer,
           target) -> None:
    """Write to ``target`` (a file open for writing, at its start) the first ``kept`` row groups of the Parquet
    file ``previous`` (whose footer is ``footer``) as they are, then the row groups of ``new`` (a Parquet file
    of the same layout, written by Arrow, footer ``new_footer``), under one footer."""
    prefix = footer.starts[kept]
    shift = prefix - len(MAGIC)
    groups = footer.groups[:kept] + [_moved(group, shift, kept + i) for i, group in enumerate(new_footer.groups)]
    rows = sum(_get(group, GROUP_NUM_ROWS) for group in groups)
    fields = _set(_set(footer.fields, FILE_ROW_GROUPS, (_STRUCT, groups)), FILE_NUM_ROWS, rows)
    data = encode_struct(fields)
    _copy(previous, 0, prefix, target)
    _copy(new, len(MAGIC), new_footer.starts[-1] - len(MAGIC), target)
    target.write(data + struct.pack("<I", len(data)) + MAGIC)


def _copy(source: str | Path, offset: int, length: int, target) -> None:
    with open(source, "rb") as handle:
        copy_bytes(handle, offset, length, target)


def copy_bytes(handle, offset: int, length: int, target) -> None:
    """Bytes ``offset:offset+length`` of the open file ``handle`` appended to ``target`` (an unbuffered file,
    at its end): in the kernel where it can (``os.copy_file_range``), else read and written. OSError when the
    file is shorter."""
    copy = getattr(os, "copy_file_range", None)
    while length > 0 and copy is not None:
        try:
            done = copy(handle.fileno(), target.fileno(), length, offset)
        except OSError:  # not on this file system (or across two): read and write instead
            break
        if done <= 0:
            break
        offset, length = offset + done, length - done
    if length > 0:
        target.seek(0, os.SEEK_END)
        handle.seek(offset)
        while length > 0:
            block = handle.read(min(length, 1 << 20))
            if not block:
                raise OSError(f"{handle.name}: shorter than when it was written")
            target.write(block)
            length -= len(block)
