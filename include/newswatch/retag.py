"""The retag step: the tagger run again over stored articles (after a taxonomy edit or a new model), the
analysts' labels standing over its decisions; only the articles whose decision changed are rewritten."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from newswatch.config import Settings
from newswatch.records import Verdict
from newswatch.tagging import classify, load_lexicon
from newswatch.warehouse import labels, load
from newswatch.warehouse.schema import ArticleRow
from newswatch.warehouse.session import warehouse

LOGGER = logging.getLogger(__name__)


def retag_articles(settings: Settings, since: datetime, batch: int = 1_000) -> dict[str, int]:
    """Re-run the tagger on the articles first seen since ``since`` (after a taxonomy edit or a new model);
    the analysts' labels stand over its decisions. An article is rewritten when its decision, score, tags
    or model version change (so a new model's explanations reach every re-tagged row)."""
    lexicon = load_lexicon(settings.taxonomy_file)
    counts = {"checked": 0, "changed": 0, "now_relevant": 0, "no_longer_relevant": 0}
    with warehouse(settings) as session:
        rows = session.execute(
            select(
                ArticleRow.id,
                ArticleRow.story_cluster_id,
                ArticleRow.title,
                ArticleRow.text,
                ArticleRow.language,
                ArticleRow.relevant,
                ArticleRow.score,
                ArticleRow.tags,
                ArticleRow.model_version,
            ).where(ArticleRow.first_seen_at >= since)
        ).all()
        overrides = labels.label_overrides(session, {row.story_cluster_id for row in rows})
        updates: list[dict[str, Any]] = []
        verdicts: dict[int, Verdict | None] = {}
        clusters: set[str] = set()
        for row in rows:
            counts["checked"] += 1
            verdict = classify(row.title, row.text, lexicon, language=row.language)
            verdict = labels.with_label(verdict, overrides.get(row.story_cluster_id))
            values = load.verdict_columns(verdict)
            before = (row.relevant, row.score, list(row.tags or []), row.model_version)
            if (values["relevant"], values["score"], values["tags"], values["model_version"]) == before:
                continue
            counts["changed"] += 1
            counts["now_relevant"] += verdict.relevant and not row.relevant
            counts["no_longer_relevant"] += row.relevant and not verdict.relevant
            updates.append({"id": row.id, **values})
            verdicts[row.id] = verdict
            clusters.add(row.story_cluster_id)
        for start in range(0, len(updates), batch):
            session.execute(update(ArticleRow), updates[start : start + batch])
        load.write_article_details(session, verdicts, lexicon.entities)
        load.refresh_story_clusters(session, clusters)
    LOGGER.info("retag since %s: %s", since.isoformat(), counts)
    return counts
