"""Run every file under a directory through the feed stage: which ones would the pipeline read, and why not.

``newswatch check-feeds DIR`` is built on :func:`check_directory`. The files are untrusted: each is
size-checked before it is opened and read no further than the pipeline's response limit, symlinks
are not followed out of DIR, nothing but regular files is opened, and no file, however broken, can
stop the run: every file gets exactly one :class:`CheckResult`.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from newswatch.config import Settings
from newswatch.ingest.feeds import FeedError, read_feed

LOGGER = logging.getLogger(__name__)

# The pipeline's limits (Settings defaults): a feed body above max_response_bytes is never parsed.
DEFAULT_MAX_BYTES = Settings.max_response_bytes
DEFAULT_MAX_ITEMS = Settings.max_items_per_feed
MAX_REASON_CHARS = 300
READ_CHUNK = 1 << 20
# A file has no URL, but relative item links resolve against the feed's URL and only http(s) links
# count as items. A placeholder under the reserved .invalid domain makes relative links count as they
# would for a feed fetched over HTTP.
BASE_URL = "http://check-feeds.invalid/feed.xml"
# C0/C1 controls and Unicode line separators: a reason or a file name printed on one line must not
# break that line (or drive the terminal).
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FILE_KINDS = {
    stat.S_IFDIR: "directory",
    stat.S_IFIFO: "named pipe",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
}

Status = Literal["parsed", "rejected"]


@dataclass(frozen=True)
class CheckResult:
    """One file: ``parsed`` with the number of items the pipeline would take, or ``rejected`` with a reason.

    ``file`` is relative to the checked directory, with ``/`` separators; ``items`` is 0 when rejected.
    """

    file: str
    status: Status
    items: int = 0
    reason: str | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return {"file": self.file, "status": self.status, "items": self.items, "reason": self.reason}


@dataclass
class Tally:
    """Running counts for the summary line."""

    files: int = 0
    parsed: int = 0
    items: int = 0
    rejected: int = 0

    def add(self, result: CheckResult) -> None:
        self.files += 1
        if result.status == "parsed":
            self.parsed += 1
            self.items += result.items
        else:
            self.rejected += 1

    def line(self) -> str:
        return f"{self.files} files: {self.parsed} parsed ({self.items} items), {self.rejected} rejected"


class _Rejected(Exception):
    """The file is turned away before parsing; the message is the reason."""


def one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """``text`` as a single line of at most ``limit`` characters, without controls or lone surrogates."""
    text = " ".join(CONTROL_RE.sub(" ", _unsurrogate(text)).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text or "no reason given"


def escape_controls(text: str) -> str:
    """``text`` with control characters spelt as escapes, for a file name shown on one line."""
    return CONTROL_RE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def _unsurrogate(text: str) -> str:
    # An undecodable byte in a file name arrives as a lone surrogate (surrogateescape), which no UTF-8
    # output can carry: it is spelt out as \udcff instead.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _sorted_entries(directory: str | Path) -> list[os.DirEntry[str]]:
    with os.scandir(directory) as scan:
        return sorted(scan, key=lambda entry: entry.name)


def check_directory(
    root: Path, max_bytes: int = DEFAULT_MAX_BYTES, max_items: int = DEFAULT_MAX_ITEMS
) -> Iterator[CheckResult]:
    """Results for every entry under ``root`` that is not a directory, depth first in name order.

    ``root`` itself is listed before this returns, so a missing or unreadable directory raises
    :class:`OSError` here rather than midway through the iteration.
    """
    real_root = root.resolve(strict=True)
    top = _sorted_entries(real_root)
    return _walk(real_root, top, max_bytes, max_items)


def _walk(root: Path, top: list[os.DirEntry[str]], max_bytes: int, max_items: int) -> Iterator[CheckResult]:
    # An explicit stack rather than recursion: a directory tree can be deeper than Python's recursion limit.
    stack = [iter(top)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        relative = _unsurrogate(Path(entry.path).relative_to(root).as_posix())
        if _is_real_dir(entry):
            try:
                stack.append(iter(_sorted_entries(entry.path)))
            except OSError as exc:
                yield CheckResult(relative, "rejected", reason=one_line(f"unreadable directory: {_os_error(exc)}"))
            continue
        yield check_file(Path(entry.path), root, relative, max_bytes, max_items)


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # it could not even be stat'ed: check_file reports it as unreadable
        return False


def check_file(path: Path, root: Path, relative: str, max_bytes: int, max_items: int) -> CheckResult:
    """Read ``path`` (within ``root``) as the pipeline reads a fetched feed body; never raises."""
    try:
        body = _read_bounded(path, root, max_bytes)
        feed = read_feed(body, relative, BASE_URL, max_items)
    except _Rejected as exc:
        return CheckResult(relative, "rejected", reason=one_line(str(exc)))
    except FeedError as exc:
        # Verbatim: the same words the pipeline records in feed health for this body.
        return CheckResult(relative, "rejected", reason=one_line(str(exc)))
    except OSError as exc:
        return CheckResult(relative, "rejected", reason=one_line(f"unreadable: {_os_error(exc)}"))
    except Exception as exc:
        # Anything else is a bug in the feed stage (the pipeline only expects FeedError): reported, and
        # the run goes on, since finding such files is what this command is for.
        LOGGER.warning("the feed stage crashed on %s", relative, exc_info=True)
        return CheckResult(relative, "rejected", reason=one_line(f"feed stage crashed: {type(exc).__name__}: {exc}"))
    if feed.warning:
        LOGGER.info("%s: %s", relative, feed.warning)
    return CheckResult(relative, "parsed", items=len(feed.items))


def _read_bounded(path: Path, root: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``; never more than ``max_bytes + 1`` of them are read."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        path = _link_target(path, root)
        info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _Rejected(f"not a regular file: {_kind(info.st_mode)}")
    if info.st_size > max_bytes:
        raise _Rejected(f"too large: {info.st_size} bytes (limit {max_bytes})")
    # O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a symlink or a pipe since lstat, opening
    # neither follows the link nor blocks waiting for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Rejected(f"not a regular file: {_kind(mode)}")
        body = read_at_most(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(body) > max_bytes:
        raise _Rejected(f"too large: more than {max_bytes} bytes")
    return body


def read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from ``fd``, in chunks; stat's size is not trusted, as a file can grow after it."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(READ_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _link_target(path: Path, root: Path) -> Path:
    """Where symlink ``path`` leads, if that is inside ``root``; otherwise the file is rejected."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, before Python 3.13
        raise _Rejected(f"broken symlink: {_link_text(path)} ({exc.__class__.__name__})") from exc
    if not target.is_relative_to(root):
        raise _Rejected(f"symlink to outside the directory, not followed: {_link_text(path)}")
    if target.is_dir():
        raise _Rejected(f"symlink to a directory, not followed: {_link_text(path)}")
    return target


def _link_text(path: Path) -> str:
    try:
        return f"-> {os.readlink(path)}"
    except OSError:
        return "-> ?"


def _kind(mode: int) -> str:
    return FILE_KINDS.get(stat.S_IFMT(mode), "special file")


def _os_error(exc: OSError) -> str:
    return exc.strerror or f"{type(exc).__name__}: {exc}"
