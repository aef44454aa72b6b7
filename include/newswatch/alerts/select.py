"""Choose the digest's stories: relevant articles in the window, one entry per story cluster.

Each story carries the tagger's stored contributions (the features that weighed for and against it),
and a digest may carry the window's near misses: stories scored just under relevance, which groups
that ask for them see in a collapsed "Possibly relevant" section.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from newswatch.config import Recipient
from newswatch.records import Contribution
from newswatch.warehouse.labels import near_misses
from newswatch.warehouse.queries import (
    StoryArticle,
    daily_relevant_counts,
    parse_contributions,
    relevant_articles,
    story_article,
    strongest,
)
from newswatch.warehouse.schema import ArticleRow, SourceRow

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
MAX_FOR = 3  # features shown as weighing for a story: enough to explain it, short enough for a phone
MAX_AGAINST = 2
MAX_NEAR_MISSES = 10  # per copy: the section is for a glance at what the tagger missed, not a second digest


@dataclass(frozen=True)
class Story:
    """One story cluster: its best article, and the other outlets that carried it."""

    cluster_id: str
    lead: StoryArticle
    also: tuple[StoryArticle, ...] = ()
    # The stored contributions of the story's articles by article id: whichever article leads a
    # recipient's copy (see in_languages), its own explanation is at hand.
    explanations: Mapping[int, tuple[Contribution, ...]] = field(default_factory=dict)

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
        return Story(self.cluster_id, lead, tuple(others), self.explanations)

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """The lead article's contributions; empty for articles tagged before they were stored."""
        return self.explanations.get(self.lead.id, ())

    @property
    def weighed_for(self) -> list[Contribution]:
        return strongest(self.contributions, +1, MAX_FOR)

    @property
    def weighed_against(self) -> list[Contribution]:
        return strongest(self.contributions, -1, MAX_AGAINST)

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
    # The window's near misses, best first, and the [near_miss, relevant) score band they fall in.
    # Selected for everyone, shown only in the copies of groups that ask (show_near_misses).
    near_misses: tuple[Story, ...] = ()
    near_miss_band: tuple[float, float] = (0.0, 0.0)
    show_near_misses: bool = False

    def for_recipient(self, recipient: Recipient) -> Digest:
        """The same digest with the recipient's filters (minimum score, topics, languages) applied.

        Near misses are kept only for a group with ``near_misses: true``, filtered by its languages
        alone: they score under any useful ``min_score`` and the tagger gives them no topic tags.
        """
        stories = []
        for story in _told_in(self.stories, recipient.languages):
            if story.score >= recipient.min_score and (
                not recipient.topics or set(story.topics) & set(recipient.topics)
            ):
                stories.append(story)
        near = tuple(_told_in(self.near_misses, recipient.languages)) if recipient.near_misses else ()
        return dataclasses.replace(
            self, stories=tuple(stories), near_misses=near, show_near_misses=recipient.near_misses
        )

    @property
    def possibly_relevant(self) -> tuple[Story, ...]:
        """The near misses this copy shows: none unless its group asked for them."""
        return self.near_misses[:MAX_NEAR_MISSES] if self.show_near_misses else ()

    @property
    def near_misses_not_shown(self) -> int:
        return len(self.near_misses) - len(self.possibly_relevant) if self.show_near_misses else 0

    @property
    def sections(self) -> list[TopicSection]:
        """The stories grouped under their main topic; sections ordered by their best story."""
        return topic_sections(self.stories)

    @property
    def article_ids(self) -> list[int]:
        return [a.id for s in self.stories for a in (s.lead, *s.also)]


def _told_in(stories: Iterable[Story], languages: tuple[str, ...]) -> list[Story]:
    """The stories as told in ``languages`` (every story when there are none)."""
    if not languages:
        return list(stories)
    return [s for s in (story.in_languages(languages) for story in stories) if s is not None]


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


def stored_contributions(session: Session, article_ids: Iterable[int]) -> dict[int, tuple[Contribution, ...]]:
    """Each article's stored contributions, strongest first as the tagger stored them."""
    ids = sorted(set(article_ids))
    found: dict[int, tuple[Contribution, ...]] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists, whatever the window holds
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.contributions).where(ArticleRow.id.in_(ids[start : start + 500]))
        )
        found.update((article_id, parse_contributions(stored)) for article_id, stored in rows)
    return found


def explained(session: Session, stories: list[Story]) -> list[Story]:
    """The stories with their articles' stored contributions attached."""
    by_id = stored_contributions(session, (a.id for s in stories for a in (s.lead, *s.also)))
    return [
        dataclasses.replace(s, explanations={a.id: by_id.get(a.id, ()) for a in (s.lead, *s.also)}) for s in stories
    ]


def story_articles(session: Session, article_ids: Iterable[int]) -> dict[int, StoryArticle]:
    """The articles of ``article_ids`` as the digest sees them, by id."""
    ids = sorted(set(article_ids))
    found: dict[int, StoryArticle] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(ArticleRow, SourceRow.title)
            .join(SourceRow, SourceRow.name == ArticleRow.source)
            .where(ArticleRow.id.in_(ids[start : start + 500]))
        )
        for a, title in rows:
            found[a.id] = story_article(a, title)
    return found


def near_miss_stories(session: Session, start: datetime, end: datetime, band: tuple[float, float]) -> list[Story]:
    """The window's near misses as stories, best first: what the News Monitor lists for review
    (:func:`newswatch.warehouse.labels.near_misses`), each led by its best-scoring article."""
    misses = near_misses(session, start, end, *band)
    articles = story_articles(session, (i for miss in misses for i in miss.article_ids))
    stories = []
    for miss in misses:
        lead = articles.get(miss.lead_article_id)
        if lead is None:  # deleted between the two reads: nothing to show
            continue
        others = (articles[i] for i in miss.article_ids if i != lead.id and i in articles)
        stories.append(Story(miss.story_cluster_id, lead, tuple(o for o in others if o.url != lead.url)))
    return stories


def select_digest(
    session: Session,
    window_start: datetime,
    window_end: datetime,
    near_miss_band: tuple[float, float] | None = None,
) -> Digest:
    """The digest of ``[window_start, window_end)``: the DAG run's data interval, never "now".

    With ``near_miss_band`` (the taxonomy's ``(near_miss, relevant)`` thresholds) it also carries the
    window's near misses, for the recipient groups that ask for them.
    """
    articles = relevant_articles(session, window_start, window_end)
    counts = daily_relevant_counts(session, window_end, CHART_DAYS, tz=IST)
    stories = explained(session, group_stories(articles))
    near: list[Story] = []
    if near_miss_band is not None:
        near = explained(session, near_miss_stories(session, window_start, window_end, near_miss_band))
    LOGGER.info(
        "digest %s: %d articles in %d stories; %d near misses",
        digest_id_for(window_end),
        len(articles),
        len(stories),
        len(near),
    )
    return Digest(
        digest_id=digest_id_for(window_end),
        day=window_end.astimezone(IST).strftime("%d %b %Y").lstrip("0"),
        window_start=window_start,
        window_end=window_end,
        stories=tuple(stories),
        daily_counts=counts,
        near_misses=tuple(near),
        near_miss_band=near_miss_band or (0.0, 0.0),
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
    chosen = [story for story in group_stories(articles) if story.score >= min_score]
    for story in explained(session, chosen):
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
