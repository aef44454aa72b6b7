"""Choose the digest's stories: relevant articles in the window, one entry per story cluster."""

from __future__ import annotations

import dataclasses
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
class Reason:
    """One piece of evidence for a story's relevance: a sentence and the terms that matched in it."""

    where: str  # "headline", "summary" (already shown above it) or "text"
    sentence: str
    terms: tuple[str, ...]


MAX_REASONS = 3


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

    @property
    def main_topic(self) -> str:
        """The best-supported topic (tags come most supported first); "" when the story has none."""
        return self.topics[0] if self.topics else ""

    def in_languages(self, languages: tuple[str, ...]) -> Story | None:
        """The story as told in ``languages``: led by its best article in one of them; None if none is."""
        members = [a for a in (self.lead, *self.also) if a.language in languages]
        if not members:
            return None
        lead, *others = members
        return Story(self.cluster_id, lead, tuple(others))

    @property
    def reasons(self) -> list[Reason]:
        """The deciding evidence, saying where each sentence is, so the entry does not quote its own
        headline or summary back at the reader."""
        reasons = []
        for evidence in self.lead.evidence[:MAX_REASONS]:
            sentence = str(evidence.get("sentence", "")).strip()
            terms = tuple(str(t) for t in evidence.get("terms", ()))
            if sentence == self.lead.title.strip():
                where = "headline"
            elif sentence and sentence in self.lead.summary:
                where = "summary"
            else:
                where = "text"
            reasons.append(Reason(where, sentence, terms))
        return reasons

    def times(self) -> tuple[str, str]:
        """Publication time in IST and in Rome time (CET/CEST)."""
        when = self.lead.when
        return (
            when.astimezone(IST).strftime("%d %b %Y %H:%M IST"),
            when.astimezone(ROME).strftime("%H:%M %Z"),
        )


@dataclass(frozen=True)
class TopicSection:
    """The digest's stories under one main topic."""

    topic: str
    stories: tuple[Story, ...]

    @property
    def label(self) -> str:
        return topic_label(self.topic)


def topic_label(topic: str) -> str:
    """``industrial-cooperation`` → ``Industrial cooperation``; no topic → ``Other``."""
    return topic.replace("-", " ").capitalize() if topic else "Other"


def topic_sections(stories: tuple[Story, ...]) -> list[TopicSection]:
    """Group ranked stories by main topic, keeping their rank inside each section."""
    groups: dict[str, list[Story]] = {}
    for story in stories:  # already ranked, so the first story of a section is its best
        groups.setdefault(story.main_topic, []).append(story)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", stories.index(item[1][0])))
    return [TopicSection(topic, tuple(members)) for topic, members in ordered]


@dataclass(frozen=True)
class Digest:
    """The stories of one window, ready to render."""

    digest_id: str
    day: str  # the IST date of the window's end, e.g. "28 Feb 2026"
    window_start: datetime
    window_end: datetime
    stories: tuple[Story, ...]
    daily_counts: dict[str, int] = field(default_factory=dict)
    alert: bool = False  # an immediate alert for one story rather than the daily digest

    def for_recipient(self, recipient: Recipient) -> Digest:
        """The same digest with the recipient's filters (minimum score, topics, languages) applied."""
        stories = []
        for story in self.stories:
            if recipient.languages:
                in_language = story.in_languages(recipient.languages)
                if in_language is None:
                    continue
                story = in_language
            if story.score >= recipient.min_score and (
                not recipient.topics or set(story.topics) & set(recipient.topics)
            ):
                stories.append(story)
        return dataclasses.replace(self, stories=tuple(stories))

    @property
    def sections(self) -> list[TopicSection]:
        """The stories grouped under their main topic; sections ordered by their best story."""
        return topic_sections(self.stories)

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
    counts = daily_relevant_counts(session, window_end, CHART_DAYS, tz=IST)
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
    """(IST day, count) for each of the last CHART_DAYS days up to the digest's day, oldest first."""
    end = digest.window_end.astimezone(IST).date()
    days = [(end - timedelta(days=n)).isoformat() for n in range(CHART_DAYS - 1, -1, -1)]
    return [(d, digest.daily_counts.get(d, 0)) for d in days]


def select_immediate_alerts(session: Session, min_score: float, since: datetime, until: datetime) -> list[Digest]:
    """One single-story alert per cluster with an article scoring ``min_score`` or more in ``[since, until)``.

    Each alert's id names its cluster, so the delivery ledger sends it once per recipient.
    """
    articles = relevant_articles(session, since, until)
    counts = daily_relevant_counts(session, until, CHART_DAYS, tz=IST)
    alerts = []
    for story in group_stories(articles):
        if story.score < min_score:
            continue
        alerts.append(
            Digest(
                digest_id=f"alert-{story.cluster_id}",  # fits alert_deliveries.digest_id (64)
                day=story.lead.when.astimezone(IST).strftime("%d %b %Y").lstrip("0"),
                window_start=since,
                window_end=until,
                stories=(story,),
                daily_counts=counts,
                alert=True,
            )
        )
    return alerts
