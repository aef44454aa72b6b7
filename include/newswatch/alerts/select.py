"""Choose the digest's entries: relevant articles in the window, one entry per event.

An event is one real-world happening (a port call, a meeting, an agreement) however many outlets and
languages reported it: the articles sharing an ``event_id``, above the story clusters (syndicated
copies of one text). Rows from before events were grouped count their story cluster as their event.

Each entry carries the tagger's stored contributions (the features that weighed for and against it),
and a digest may carry the window's near misses: stories scored just under relevance, which groups
that ask for them see in a collapsed "Possibly relevant" section. A digest also carries the health of
the enabled sources over its window (``newswatch.alerts.health``): the sources down or late, which every
copy shows at its top, so that a blind day never reads as a quiet one.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from newswatch.alerts.health import IST as IST  # the digest's time zones, where render and others look
from newswatch.alerts.health import ROME as ROME
from newswatch.alerts.health import SourceHealth, source_health
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


def event_id_of(article: StoryArticle) -> str:
    """The event ``article`` reports: its ``event_id``, or its story cluster for an article loaded
    before events existed (an article built without an event stands as its own story's event)."""
    return article.event_id or article.story_cluster_id


def _rank(article: StoryArticle) -> tuple[float, datetime, int]:
    """Best report first: highest score, then earliest, then lowest id."""
    return (-article.score, article.when, article.id)


@dataclass(frozen=True)
class Story:
    """One digest entry: an event, led by its best report, with every outlet's report of it
    (:func:`group_events`); or one story cluster and its copies (:func:`group_stories`, the News Monitor's).

    ``lead`` is the event's strongest report (or, in a recipient's copy, its best report in the
    recipient's languages, see :meth:`in_languages`); relevance, topics and the evidence are the lead's.
    ``also`` are the other reports, best first; an event lists one per story and source (copies of one
    story from the same outlet, or with a URL already listed, are listed once).
    """

    event_id: str
    lead: StoryArticle
    also: tuple[StoryArticle, ...] = ()
    # The stored contributions of the event's reports by article id: whichever report leads a
    # recipient's copy (see in_languages), its own explanation is at hand.
    explanations: Mapping[int, tuple[Contribution, ...]] = field(default_factory=dict)
    # When the event was first reported, over all its articles in the window (also the copies not
    # listed); None: the earliest of the listed reports.
    first_reported: datetime | None = None

    @property
    def cluster_id(self) -> str:
        """The lead's story cluster (the News Monitor's labels are per story cluster)."""
        return self.lead.story_cluster_id

    @property
    def reports(self) -> tuple[StoryArticle, ...]:
        """Every listed report, the lead first."""
        return (self.lead, *self.also)

    @property
    def outlets(self) -> int:
        """How many distinct sources reported the event: the N of "Reported by N outlets"."""
        return len({a.source for a in self.reports})

    @property
    def when(self) -> datetime:
        """When the event was first reported."""
        return self.first_reported or min(a.when for a in self.reports)

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
        """The event as a group reading ``languages`` sees it: led by its best report in the first of
        ``languages`` that has one, with all its reports still listed (in every language, so a reader
        sees who else covered it); None when no report is in any of ``languages``."""
        ranked = sorted(self.reports, key=_rank)
        for language in languages:
            lead = next((a for a in ranked if a.language == language), None)
            if lead is not None:
                others = tuple(a for a in ranked if a is not lead)
                return dataclasses.replace(self, lead=lead, also=others, first_reported=self.when)
        return None

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
        """When the event was first reported, in IST and in Rome time (CET/CEST)."""
        when = self.when
        return (
            when.astimezone(IST).strftime("%d %b %Y %H:%M IST"),
            when.astimezone(ROME).strftime("%H:%M %Z"),
        )


@dataclass(frozen=True)
class TopicSection:
    """The digest's entries (events) under one main topic."""

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
    """The events of one window, one entry each (``stories``), ready to render."""

    digest_id: str
    day: str  # the IST date of the window's end, e.g. "28 Feb 2026"
    window_start: datetime
    window_end: datetime
    stories: tuple[Story, ...]
    daily_counts: dict[str, int] = field(default_factory=dict)
    alert: bool = False  # an immediate alert for one event rather than the daily digest
    # The window's near misses, best first, and the [near_miss, relevant) score band they fall in.
    # Selected for everyone, shown only in the copies of groups that ask (show_near_misses).
    near_misses: tuple[Story, ...] = ()
    near_miss_band: tuple[float, float] = (0.0, 0.0)
    show_near_misses: bool = False
    # The enabled sources over the window (alerts.health): how many, and those down or late, down first.
    # The same for every recipient: each copy shows them, whatever its filters.
    sources_watched: int = 0
    source_problems: tuple[SourceHealth, ...] = ()

    @property
    def sources_down(self) -> int:
        return sum(1 for h in self.source_problems if h.state == "down")

    @property
    def sources_late(self) -> int:
        return len(self.source_problems) - self.sources_down

    @property
    def incomplete(self) -> bool:
        """Some source was down or late: the digest may miss what it published."""
        return bool(self.source_problems)

    @property
    def sources_summary(self) -> str:
        """``1 of 8 sources was down or late``; "" when none was."""
        n = len(self.source_problems)
        if not n:
            return ""
        return f"{n} of {self.sources_watched} sources {'was' if n == 1 else 'were'} down or late"

    def for_recipient(self, recipient: Recipient) -> Digest:
        """The same digest with the recipient's filters (minimum score, topics, languages) applied.

        ``min_score`` and ``topics`` judge each event by its strongest report, whatever its language.
        ``languages`` then decide what the group sees: an event with a report in one of them is led by
        its best report in the first such language (an ``[it]`` group sees the Italian headline, its
        evidence and relevance) and still lists every outlet's report, English ones included; an event
        with no report in the group's languages is left out. No languages: every event, as it is.

        Near misses are kept only for a group with ``near_misses: true``, filtered by its languages
        alone: they score under any useful ``min_score`` and the tagger gives them no topic tags.
        """
        wanted = [
            story
            for story in self.stories
            if story.score >= recipient.min_score
            and (not recipient.topics or set(story.topics) & set(recipient.topics))
        ]
        stories = _told_in(wanted, recipient.languages)
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
        """The entries grouped under their main topic; sections ordered by their best entry."""
        return topic_sections(self.stories)

    @property
    def article_ids(self) -> list[int]:
        return [a.id for s in self.stories for a in s.reports]


def _told_in(stories: Iterable[Story], languages: tuple[str, ...]) -> list[Story]:
    """The entries as told in ``languages`` (all of them, as they are, when there are none)."""
    if not languages:
        return list(stories)
    return [s for s in (story.in_languages(languages) for story in stories) if s is not None]


def _listed(ranked: list[StoryArticle]) -> tuple[StoryArticle, ...]:
    """The reports worth a line, best first: one per story and source, and one per URL."""
    listed: list[StoryArticle] = []
    urls: set[str] = set()
    copies: set[tuple[str, str]] = set()
    for article in ranked:
        copy = (article.story_cluster_id, article.source)
        if article.url in urls or copy in copies:
            continue
        urls.add(article.url)
        copies.add(copy)
        listed.append(article)
    return tuple(listed)


def _grouped(articles: Iterable[StoryArticle], key: Callable[[StoryArticle], str]) -> dict[str, list[StoryArticle]]:
    """``articles`` by ``key``, each group best first."""
    groups: dict[str, list[StoryArticle]] = {}
    for article in articles:
        groups.setdefault(key(article), []).append(article)
    return {k: sorted(members, key=_rank) for k, members in groups.items()}


def _ranked(stories: list[Story]) -> list[Story]:
    """Best first: score (to 2 places), then the most recent lead."""
    return sorted(stories, key=lambda s: (-round(s.score, 2), -s.lead.when.timestamp()))


def group_events(articles: Iterable[StoryArticle]) -> list[Story]:
    """The digest's entries: one per event (:func:`event_id_of`), ranked by score then recency.

    Each is led by the event's best report (highest score, then earliest, then lowest id) and lists
    every other report once per story and source; it was first reported at its earliest article.
    """
    stories = []
    for event_id, ranked in _grouped(articles, event_id_of).items():
        lead, *others = _listed(ranked)
        stories.append(Story(event_id, lead, tuple(others), first_reported=min(a.when for a in ranked)))
    return _ranked(stories)


def group_stories(articles: Iterable[StoryArticle]) -> list[Story]:
    """One entry per story cluster, ranked like :func:`group_events`: what the News Monitor lists and
    analysts label. The lead is the cluster's best article; its other copies are in ``also`` (one with
    the lead's URL left out); ``event_id`` is the lead's event."""
    stories = []
    for ranked in _grouped(articles, lambda a: a.story_cluster_id).values():
        lead, *others = ranked
        also = tuple(o for o in others if o.url != lead.url)
        stories.append(Story(event_id_of(lead), lead, also, first_reported=min(a.when for a in ranked)))
    return _ranked(stories)


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
    """The entries with their reports' stored contributions attached."""
    by_id = stored_contributions(session, (a.id for s in stories for a in s.reports))
    return [dataclasses.replace(s, explanations={a.id: by_id.get(a.id, ()) for a in s.reports}) for s in stories]


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
    """The window's near misses, one per story cluster, best first: what the News Monitor lists for
    review (:func:`newswatch.warehouse.labels.near_misses`), each led by its best-scoring article."""
    misses = near_misses(session, start, end, *band)
    articles = story_articles(session, (i for miss in misses for i in miss.article_ids))
    stories = []
    for miss in misses:
        lead = articles.get(miss.lead_article_id)
        if lead is None:  # deleted between the two reads: nothing to show
            continue
        others = [articles[i] for i in miss.article_ids if i != lead.id and i in articles]
        also = tuple(o for o in others if o.url != lead.url)
        stories.append(Story(event_id_of(lead), lead, also, first_reported=min(a.when for a in (lead, *others))))
    return stories


def select_digest(
    session: Session,
    window_start: datetime,
    window_end: datetime,
    near_miss_band: tuple[float, float] | None = None,
) -> Digest:
    """The digest of ``[window_start, window_end)``: the DAG run's data interval, never "now"; with the
    enabled sources' health as of the window's close (:func:`newswatch.alerts.health.source_health`).

    With ``near_miss_band`` (the taxonomy's ``(near_miss, relevant)`` thresholds) it also carries the
    window's near misses, for the recipient groups that ask for them: stories scored in the band, less
    those whose event is an entry already (a weak report of an event the digest lists is no near miss).
    """
    articles = relevant_articles(session, window_start, window_end)
    counts = daily_relevant_counts(session, window_end, CHART_DAYS, tz=IST)
    stories = explained(session, group_events(articles))
    health = source_health(session, window_end)
    near: list[Story] = []
    if near_miss_band is not None:
        listed = {story.event_id for story in stories}
        misses = near_miss_stories(session, window_start, window_end, near_miss_band)
        near = explained(session, [miss for miss in misses if miss.event_id not in listed])
    LOGGER.info(
        "digest %s: %d articles in %d events; %d near misses; %d of %d sources down or late%s",
        digest_id_for(window_end),
        len(articles),
        len(stories),
        len(near),
        len(health.problems),
        health.watched,
        "".join(f"; {h.source}: {h.describe()}" for h in health.problems),
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
        sources_watched=health.watched,
        source_problems=health.problems,
    )


def chart_days(digest: Digest) -> list[tuple[str, int]]:
    """(IST day, count) for each of the last CHART_DAYS days up to the digest's day, oldest first."""
    end = digest.window_end.astimezone(IST).date()
    days = [(end - timedelta(days=n)).isoformat() for n in range(CHART_DAYS - 1, -1, -1)]
    return [(d, digest.daily_counts.get(d, 0)) for d in days]


def immediate_alerts(
    stories: Iterable[Story], min_score: float, since: datetime, until: datetime, counts: dict[str, int]
) -> list[Digest]:
    """One single-entry alert per event whose strongest report scores ``min_score`` or more.

    The alert's id names the event, not a report: a later report of an event already alerted gives
    the same id, which the delivery ledger has already sent to each recipient, so it sends nothing new.
    """
    return [
        Digest(
            digest_id=f"alert-{story.event_id}",  # "alert-e-" + 16 hex: fits alert_deliveries.digest_id (64)
            day=story.when.astimezone(IST).strftime("%d %b %Y").lstrip("0"),
            window_start=since,
            window_end=until,
            stories=(story,),
            daily_counts=counts,
            alert=True,
        )
        for story in stories
        if story.score >= min_score
    ]


def select_immediate_alerts(session: Session, min_score: float, since: datetime, until: datetime) -> list[Digest]:
    """The alerts of the events with a report in ``[since, until)`` scoring ``min_score`` or more
    (see :func:`immediate_alerts`): each goes out once per event and recipient."""
    articles = relevant_articles(session, since, until)
    counts = daily_relevant_counts(session, until, CHART_DAYS, tz=IST)
    chosen = [story for story in group_events(articles) if story.score >= min_score]
    return immediate_alerts(explained(session, chosen), min_score, since, until, counts)
