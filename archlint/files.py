"""Reading a file's bytes safely: only regular files, never blocking, never past a limit.

What archlint reads (sources, notebooks, configuration, requirement lists) comes through
here, and what it keeps for itself (the cache, rule pages) is written here, so a FIFO, a device behind a symlink or a file that grows as it is read cannot hang
or flood a run. It does not decode text (``source.decode`` does) and imports nothing heavy.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from typing import Union


SOURCE_BYTES = 5_000_000  # a Python file or notebook
CONFIG_BYTES = 1_000_000  # configuration and requirement files: more is not a configuration


@dataclass
class NotRead:
    """Why a file was not read, in a few words."""

    reason: str


def read_bytes(path: str, limit: int) -> Union[bytes, NotRead]:
    """The bytes of a regular file (a symlink is followed), at most ``limit`` of them. A FIFO,
    a device or a socket is refused without reading (opening never blocks), and the size is
    judged on the bytes actually read, not on what the file system says."""
    try:
        if os.path.isdir(path):
            return NotRead("is a directory")
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return NotRead("no such file" if not os.path.islink(path) else "a symlink to nothing")
    except OSError as error:
        return NotRead(error.strerror or str(error))
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return NotRead("not a regular file (a FIFO, device or socket); archlint reads only regular files")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        return NotRead(error.strerror or str(error))
    finally:
        os.close(handle)
    if size > limit:
        return NotRead(f"file is over {limit / 1e6:.0f} MB; archlint reads files up to {limit / 1e6:.0f} MB")
    return b"".join(chunks)


def replace_atomically(target: str, data: bytes) -> None:
    """Write ``data`` to ``target`` all at once (a temporary file beside it, then a rename):
    a reader sees the old file or the new one, never half of it. Raises OSError."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(target)), prefix=".archlint-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
