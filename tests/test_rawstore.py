"""Tests of newswatch.ingest.rawstore: the content-addressed, gzip-compressed store of fetched pages."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from newswatch.ingest.rawstore import RawStore

PAGE = "<html><body><p>Harbour rules signed — città, café, 日本</p></body></html>".encode()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_put_get_round_trip(tmp_path: Path) -> None:
    """What goes in comes out byte for byte; the reference is the SHA-256 of the bytes."""
    store = RawStore(tmp_path / "raw")
    ref = store.put(PAGE)
    assert ref == "sha256:" + hashlib.sha256(PAGE).hexdigest()
    assert store.get(ref) == PAGE
    assert RawStore(tmp_path / "raw").get(ref) == PAGE, "a new instance on the same folder reads it"


def test_file_layout_is_compressed_and_sharded(tmp_path: Path) -> None:
    """The file lives at <root>/<hex[:2]>/<hex>.html.gz and is gzip data of the page."""
    store = RawStore(tmp_path)
    digest = store.put(PAGE).removeprefix("sha256:")
    [path] = stored_files(tmp_path)
    assert path == tmp_path / digest[:2] / f"{digest}.html.gz"
    assert gzip.decompress(path.read_bytes()) == PAGE


def test_same_bytes_stored_once(tmp_path: Path) -> None:
    """Putting the same bytes twice gives the same ref and one file, with no temp files left behind."""
    store = RawStore(tmp_path)
    first = store.put(PAGE)
    mtime = next(iter(stored_files(tmp_path))).stat().st_mtime_ns
    second = store.put(bytes(PAGE))
    assert first == second
    files = stored_files(tmp_path)
    assert len(files) == 1
    assert files[0].stat().st_mtime_ns == mtime, "the existing file is not rewritten"
    assert not list(tmp_path.rglob("*.tmp"))


def test_different_bytes_different_refs(tmp_path: Path) -> None:
    """Pages differing by one byte are stored separately and each reads back correctly."""
    store = RawStore(tmp_path)
    other = PAGE.replace(b"signed", b"signee")
    a, b = store.put(PAGE), store.put(other)
    assert a != b
    assert len(stored_files(tmp_path)) == 2
    assert (store.get(a), store.get(b)) == (PAGE, other)


def test_empty_body_round_trip(tmp_path: Path) -> None:
    """Even an empty body has a reference and reads back as empty."""
    store = RawStore(tmp_path)
    assert store.get(store.put(b"")) == b""


def test_unknown_ref_is_key_error(tmp_path: Path) -> None:
    """A well-formed reference to nothing stored raises KeyError."""
    store = RawStore(tmp_path)
    store.put(PAGE)
    missing = "sha256:" + hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(KeyError, match="not in"):
        store.get(missing)


@pytest.mark.parametrize(
    "ref",
    [
        "",
        "sha256:",
        "sha256:abc",
        "md5:" + "0" * 64,
        "sha256:" + "G" * 64,
        "sha256:" + "A" * 64,  # upper-case hex is not what put() returns
        "sha256:" + "0" * 63,
        "sha256:" + "0" * 65,
        "sha256:../../etc/passwd",
        " sha256:" + "0" * 64,
    ],
)
def test_malformed_ref_is_key_error(tmp_path: Path, ref: str) -> None:
    """Anything that is not 'sha256:' plus 64 lower-case hex digits is refused before touching disk."""
    with pytest.raises(KeyError, match="not a raw store reference"):
        RawStore(tmp_path).get(ref)
