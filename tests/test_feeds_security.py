"""Feeds are untrusted XML: no external entity is read, no entity expansion bomb goes off."""

from __future__ import annotations

import time
from pathlib import Path

from newswatch.ingest.feeds import read_feed

LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10))  # 10^9 "lol"s if expanded


def test_external_entity_is_not_read(tmp_path: Path) -> None:
    """An XXE entity pointing at a local file leaves the file's content out of the item."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>Leak &xxe;</title>'
        "<link>https://news.example.org/1</link><description>&xxe;</description></item></channel></rss>"
    ).encode()
    feed = read_feed(body, "src", "https://news.example.org/feed")
    assert [i.link for i in feed.items] == ["https://news.example.org/1"]
    assert all("TOP-SECRET" not in (i.title + i.summary) for i in feed.items)


def test_entity_expansion_bomb_is_defused() -> None:
    """A billion-laughs feed is parsed quickly and the entity stays unexpanded."""
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol1 "lol">{LAUGHS}]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>'
        "<link>https://news.example.org/1</link></item></channel></rss>"
    ).encode()
    started = time.monotonic()
    feed = read_feed(body, "src", "https://news.example.org/feed")
    assert time.monotonic() - started < 10
    assert all(len(i.title) < 1_000 for i in feed.items)
