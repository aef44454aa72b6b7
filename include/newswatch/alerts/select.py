"""Choose the digest's stories: relevant articles in the window, one entry per story cluster."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from newswatch.config import Recipient
from newswatch.warehouse.queries import StoryArticle, daily_relevant_counts, relevant_articles

LOGGER = logging.getLogger(__name__)

IST = ZoneInfo("Asia/Kolkata")
ROME = ZoneInfo("Europe/Rome")
CHART_DAYS = 30


@dataclass(frozen=True)
class Story:
    """One story cluster: its best article, and the other outlets that carried it."""

    cluster_id: str
    lead: StoryArticle
    also: tuple[StoryArticle, ...] = ()

    @property
    def score(self) -> float:
        return self.lead.score

    @property
    def topics(self) -> list[str]:
        return self.lead.tags

    def times(self) -> tuple[str, str]:
        """Publication time in IST and in Rome time (CET/CEST)."""
        when = self.lead.when
        return (
            when.astimezone(IST).strftime("%d %b %Y %H:%M IST"),
            when.astimezone(ROME).strftime("%H:%M %Z"),
        )


@dataclass(frozen=True)
class Digest:
    """The stories of one window, ready to render."""

    digest_id: str
    day: str  # the IST date of the window's end, e.g. "28 Feb 2026"
    window_start: datetime
    window_end: datetime
    stories: tuple[Story, ...]
    daily_counts: dict[str, int] = field(default_factory=dict)

    def for_recipient(self, recipient: Recipient) -> Digest:
        """The same digest with the recipient's filters (minimum score, topics) applied."""
        stories = tuple(
            s
            for s in self.stories
            if s.score >= recipient.min_score and (not recipient.topics or set(s.topics) & set(recipient.topics))
        )
        return Digest(self.digest_id, self.day, self.window_start, self.window_end, stories, self.daily_counts)

    @property
    def article_ids(self) -> list[int]:
        return [a.id for s in self.stories for a in (s.lead, *s.also)]


def group_stories(articles: list[StoryArticle]) -> list[Story]:
    """One story per cluster; the lead is the highest-scoring, earliest article of the cluster."""
    clusters: dict[str, list[StoryArticle]] = {}
    for article in articles:
        clusters.setdefault(article.story_cluster_id, []).append(article)
    stories = []
    for cluster_id, members in clusters.items():
        members.sort(key=lambda a: (-a.score, a.when, a.id))
        lead, *others = members
        stories.append(Story(cluster_id, lead, tuple(o for o in others if o.url != lead.url)))
    stories.sort(key=lambda s: (-round(s.score, 2), -s.lead.when.timestamp()))
    return stories


def digest_id_for(window_end: datetime) -> str:
    return f"india-italy-defence-{window_end.astimezone(IST).date().isoformat()}"


def select_digest(session: Session, window_start: datetime, window_end: datetime) -> Digest:
    """The digest of ``[window_start, window_end)``: the DAG run's data interval, never "now"."""
    articles = relevant_articles(session, window_start, window_end)
    counts = daily_relevant_counts(session, window_end, CHART_DAYS)
    stories = group_stories(articles)
    LOGGER.info("digest %s: %d articles in %d stories", digest_id_for(window_end), len(articles), len(stories))
    return Digest(
        digest_id=digest_id_for(window_end),
        day=window_end.astimezone(IST).strftime("%d %b %Y").lstrip("0"),
        window_start=window_start,
        window_end=window_end,
        stories=tuple(stories),
        daily_counts=counts,
    )


def chart_days(digest: Digest) -> list[tuple[str, int]]:
    """(day, count) for each of the last CHART_DAYS days up to the window's end, oldest first."""
    end = digest.window_end.date()
    days = [(end - timedelta(days=n)).isoformat() for n in range(CHART_DAYS - 1, -1, -1)]
    return [(d, digest.daily_counts.get(d, 0)) for d in days]
