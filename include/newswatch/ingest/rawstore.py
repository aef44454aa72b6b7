"""Content-addressed store of fetched raw HTML, gzip-compressed, so extraction can re-run offline.

A reference is ``sha256:<hex>``; the file lives at ``<root>/<hex[:2]>/<hex>.html.gz``. Writing the same
bytes twice stores them once.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

LOGGER = logging.getLogger(__name__)

REF_RE = re.compile(r"^sha256:([0-9a-f]{64})$")


class RawStore:
    """A folder of compressed pages addressed by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.html.gz"

    def put(self, body: bytes) -> str:
        """Store ``body`` (atomically: a reader never sees half a file) and return its reference."""
        digest = hashlib.sha256(body).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(gzip.compress(body, compresslevel=6, mtime=0))
            os.replace(tmp, path)
        return f"sha256:{digest}"

    def _path_of(self, ref: str) -> Path:
        match = REF_RE.match(ref)
        if not match:
            raise KeyError(f"not a raw store reference: {ref!r}")
        return self._path(match.group(1))

    def delete(self, ref: str) -> int:
        """Remove the page behind ``ref``; return the bytes freed (0 when it was not there)."""
        path = self._path_of(ref)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size

    def get(self, ref: str) -> bytes:
        """The bytes behind ``ref``; ``KeyError`` for a malformed or unknown reference."""
        path = self._path_of(ref)
        try:
            return gzip.decompress(path.read_bytes())
        except FileNotFoundError as exc:
            raise KeyError(f"raw page {ref} is not in {self.root}") from exc
