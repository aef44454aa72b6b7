"""Ingest: bring feeds and pages in. Libraries: ``http`` (the polite client), ``feeds`` (feed bytes to
items), ``schedule`` (adaptive poll intervals), ``rawstore`` (fetched pages by content). Steps over the
warehouse: ``poll`` (a source's feed into the ``feed_items`` queue, feed health), ``fetch`` (queued
pages into the raw store), ``retention`` (pruning the raw store)."""
