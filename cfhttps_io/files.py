"""Template files → data: regular files only, read within a size limit, decoded with stray bytes told.

A FIFO, socket or device is never opened for reading (an audit must not block on one); UTF-8
with or without a byte order mark is read; a few bytes that are not UTF-8 (a Latin-1 'é' in a
comment) are read as U+FFFD and told by line; a binary file is refused. The text then goes to
:func:`cfhttps_io.templates.parse_text`.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any, Optional, Tuple

from .templates import LoadError, Marks, json_without_positions, parse_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class NotRegularFile(LoadError):
    """A path that is not a regular file (FIFO, socket, device, directory): never opened for reading."""


_FILE_TYPES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISDIR, "a directory"))


def _not_regular(mode: int) -> Optional[str]:
    if stat.S_ISREG(mode):
        return None
    for test, what in _FILE_TYPES:
        if test(mode):
            return f"not a regular file ({what}); only regular files are read"
    return "not a regular file; only regular files are read"


def read_regular(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file, never blocking on anything else.

    ``stat`` first, so a FIFO, socket or device is never opened; then ``open`` with
    ``O_NONBLOCK`` (opening a FIFO that appeared since does not wait for a writer) and ``fstat``
    on the descriptor, so a file swapped for something else between the two is refused too.
    """
    try:
        reason = _not_regular(os.stat(path).st_mode)
        if reason:
            raise NotRegularFile(reason)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except NotRegularFile:
        raise
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        reason = _not_regular(os.fstat(fd).st_mode)
        if reason:
            raise NotRegularFile(reason)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Tuple[Any, Marks]:
    raw = read_regular(path, max_bytes)
    if len(raw) > max_bytes:
        raise LoadError(f"file is larger than the {max_bytes} byte limit (--max-file-size)")
    text, strays = decode(raw)
    found = terraform_plan(text)
    data, marks = found if found is not None else parse_text(text, path)
    marks.stray_bytes = strays
    return data, marks


# `terraform show -json` writes format_version first (HashiCorp, "JSON Output Format").
_PLAN_START = re.compile(r'\A\s*\{\s*"format_version"\s*:')


def terraform_plan(text: str) -> Optional[Tuple[Any, Marks]]:
    """A Terraform plan read with Python's JSON reader, or None for anything else.

    A plan is machine-written JSON of the whole configuration, often megabytes, and its findings
    point at the plan file as a whole (their paths are the resource's, not the document's), so
    the position-keeping YAML reader — about twenty times slower on such a file, and most of an
    audit's time — buys nothing. Duplicate keys are noted as :func:`parse_text` notes them for
    JSON it reads this way (without lines); text that is not a plan goes to :func:`parse_text`."""
    if not _PLAN_START.match(text):
        return None
    try:
        doc, marks = json_without_positions(text)
    except (ValueError, RecursionError):
        return None  # parse_text says what is wrong, with its line
    if not (isinstance(doc, dict) and ("resource_changes" in doc or "planned_values" in doc)):
        return None
    marks[()] = (1, 1)
    return doc, marks


# A text file with a stray byte or two (a Latin-1 'é' or a Windows-1252 quote in a comment) is
# read; beyond this share of undecodable bytes, or with a NUL byte, the file is not text.
MAX_STRAY_SHARE = 0.05
MIN_STRAY_ALLOWANCE = 8


_STRAY = re.compile("[\udc80-\udcff]")  # surrogateescape's stand-ins for undecodable bytes


def decode(raw: bytes) -> Tuple[str, list]:
    """The text of a file, and the bytes that are not UTF-8 as (line, byte) pairs.

    Each such byte is read as U+FFFD; a binary file (NUL bytes, or more undecodable bytes than
    a few in a text) is refused."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:
        raise LoadError("file is binary (it contains NUL bytes), not UTF-8 text")
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    allowance = max(MIN_STRAY_ALLOWANCE, int(len(raw) * MAX_STRAY_SHARE))
    strays = []
    line, seen = 1, 0
    for m in _STRAY.finditer(text):
        if len(strays) >= allowance:
            raise LoadError(f"file is not UTF-8 text (more than {allowance} bytes are not UTF-8)")
        line += text.count("\n", seen, m.start())
        seen = m.start()
        strays.append((line, ord(m.group()) - 0xDC00))
    return _STRAY.sub("\ufffd", text), strays
