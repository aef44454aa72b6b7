"""Analysts' labels of stories (``tagger_labels``): recorded from the News Monitor, read back as training data.

A label is an analyst's verdict on one story (a story cluster): an India–Italy defence story or not,
with an optional note. Labels are never updated in place: labelling a story again appends a row, and the
latest one wins (by ``labelled_at``, then ``id``), so the history of a story's labels stays readable.

- :func:`record_label` writes one label (the caller commits), refusing unknown stories and long notes.
- :func:`latest_labels` is each story's current label.
- :func:`training_examples` turns the current labels into one :class:`LabelledExample` per article of
  each labelled story, grouped by story so that cross-validation keeps a story's copies together.
- :func:`label_overrides` and :func:`with_label` let a story's label stand over the tagger's decision
  when the pipeline loads or re-tags its articles.
- :func:`near_misses` lists the stories that scored just under the relevance threshold in a time
  window: the ones worth an analyst's look, because the tagger may have missed them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newswatch.records import Verdict
from newswatch.warehouse.load import hold_sqlite_write_lock
from newswatch.warehouse.schema import NOTE_MAX_CHARS, ArticleRow, StoryClusterRow, TaggerLabelRow

USER_MAX_CHARS = 256  # tagger_labels.labelled_by
IN_LIST_SIZE = 500  # ids per IN (…) list: far below SQLite's parameter limit


class LabelError(ValueError):
    """A label that cannot be recorded; the message says why, for the analyst."""


class UnknownStory(LabelError):
    """No article in the warehouse belongs to the story."""

    def __init__(self, story_cluster_id: str) -> None:
        super().__init__(f"no story {story_cluster_id!r} in the warehouse")
        self.story_cluster_id = story_cluster_id


@dataclass(frozen=True)
class LabelRecord:
    """One row of ``tagger_labels``."""

    id: int
    story_cluster_id: str
    relevant: bool
    note: str | None
    labelled_by: str
    labelled_at: datetime
    score_at_label: float
    model_version: str
    article_ids: tuple[int, ...]
    canonical_urls: tuple[str, ...]


@dataclass(frozen=True)
class LabelledExample:
    """One article of a labelled story, as the tagger's training sees it."""

    title: str
    text: str
    language: str
    relevant: bool
    group: str  # "label:<story id>": every copy of one story in one cross-validation fold


@dataclass(frozen=True)
class NearMiss:
    """A story whose best score in the window is at least ``near_miss`` but under ``relevant``."""

    story_cluster_id: str
    score: float  # the best score among the story's articles in the window
    lead_article_id: int  # the article with that score (the earliest one on a tie)
    title: str
    url: str
    source: str
    published_at: datetime  # the lead's publication time, or when it was first seen when undated
    article_ids: tuple[int, ...]  # the story's articles in the window scoring ≥ near_miss, best first
    model_version: str  # of the lead's verdict


def _record(row: TaggerLabelRow) -> LabelRecord:
    return LabelRecord(
        id=row.id,
        story_cluster_id=row.story_cluster_id,
        relevant=row.label,
        note=row.note,
        labelled_by=row.labelled_by,
        labelled_at=row.labelled_at,
        score_at_label=row.score_at_label,
        model_version=row.model_version,
        article_ids=tuple(int(i) for i in row.article_ids or ()),
        canonical_urls=tuple(str(u) for u in row.canonical_urls or ()),
    )


def clean_note(note: str | None) -> str | None:
    """The note as stored: surrounding white space removed, None when empty; :class:`LabelError` when
    longer than ``NOTE_MAX_CHARS``."""
    text = (note or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise LabelError(f"the note has {len(text)} characters; at most {NOTE_MAX_CHARS} are kept")
    return text or None


def record_label(
    session: Session, story_cluster_id: str, relevant: bool, note: str | None, user: str, now: datetime
) -> LabelRecord:
    """Append ``user``'s label of the story at ``now`` (aware) and return it; the caller commits.

    Raises :class:`UnknownStory` when no article has that story id, and :class:`LabelError` for a note
    over ``NOTE_MAX_CHARS`` characters or an empty user name; nothing is written then. The label keeps
    the story's articles, their URLs, its best score and the model version behind that score.
    """
    note = clean_note(note)
    user = user.strip()
    if not user or len(user) > USER_MAX_CHARS:
        raise LabelError(f"a label needs the name of who gave it (1 to {USER_MAX_CHARS} characters)")
    # Read, then write: on SQLite take the write lock first, so a concurrent writer cannot slip in between.
    hold_sqlite_write_lock(session)
    members = session.execute(
        select(ArticleRow.id, ArticleRow.canonical_url, ArticleRow.score, ArticleRow.model_version)
        .where(ArticleRow.story_cluster_id == story_cluster_id)
        .order_by(ArticleRow.id)
    ).all()
    if not members:
        raise UnknownStory(story_cluster_id)
    best = max(members, key=lambda m: (m.score, -m.id))
    row = TaggerLabelRow(
        story_cluster_id=story_cluster_id,
        article_ids=[m.id for m in members],
        canonical_urls=[m.canonical_url for m in members],
        label=bool(relevant),
        note=note,
        labelled_by=user,
        labelled_at=now,
        score_at_label=float(best.score),
        model_version=best.model_version or "",
    )
    session.add(row)
    session.flush()
    return _record(row)


def _latest_ids(story_ids: Collection[str] | None) -> Any:
    """The id of each story's latest label, as a subquery."""
    ranked = select(
        TaggerLabelRow.id,
        func.row_number()
        .over(
            partition_by=TaggerLabelRow.story_cluster_id,
            order_by=(TaggerLabelRow.labelled_at.desc(), TaggerLabelRow.id.desc()),
        )
        .label("rank"),
    )
    if story_ids is not None:
        ranked = ranked.where(TaggerLabelRow.story_cluster_id.in_(list(story_ids)))
    ranked_sub = ranked.subquery()
    return select(ranked_sub.c.id).where(ranked_sub.c.rank == 1)


def latest_labels(session: Session, story_ids: Collection[str] | None = None) -> list[LabelRecord]:
    """Each labelled story's current label (its latest), by story id; only those of ``story_ids`` when given."""
    if story_ids is not None and not story_ids:
        return []
    rows = session.scalars(
        select(TaggerLabelRow)
        .where(TaggerLabelRow.id.in_(_latest_ids(story_ids)))
        .order_by(TaggerLabelRow.story_cluster_id)
    )
    return [_record(row) for row in rows]


def label_history(session: Session, story_cluster_id: str) -> list[LabelRecord]:
    """Every label of one story, newest first."""
    rows = session.scalars(
        select(TaggerLabelRow)
        .where(TaggerLabelRow.story_cluster_id == story_cluster_id)
        .order_by(TaggerLabelRow.labelled_at.desc(), TaggerLabelRow.id.desc())
    )
    return [_record(row) for row in rows]


def training_examples(session: Session) -> list[LabelledExample]:
    """One example per article of each labelled story, labelled with the story's latest label.

    A story's articles are those in it now plus those recorded with the label (should a copy have
    moved), each once, ordered by story then article id so that the list is the same on every run.
    """
    labels = latest_labels(session)
    wanted: dict[int, LabelRecord] = {}
    for label in labels:
        for article_id in label.article_ids:
            wanted.setdefault(article_id, label)
    by_story = {label.story_cluster_id: label for label in labels}
    rows: dict[int, Any] = {}
    columns = (ArticleRow.id, ArticleRow.story_cluster_id, ArticleRow.title, ArticleRow.text, ArticleRow.language)
    for chunk in _chunks(sorted(by_story)):
        for row in session.execute(select(*columns).where(ArticleRow.story_cluster_id.in_(chunk))):
            rows[row.id] = row
    for chunk in _chunks(sorted(set(wanted) - set(rows))):
        for row in session.execute(select(*columns).where(ArticleRow.id.in_(chunk))):
            rows[row.id] = row
    examples: list[tuple[str, int, LabelledExample]] = []
    for article_id, row in rows.items():
        label = by_story.get(row.story_cluster_id) or wanted[article_id]
        example = LabelledExample(
            title=row.title or "",
            text=row.text or "",
            language=row.language or "en",
            relevant=label.relevant,
            group=f"label:{label.story_cluster_id}",
        )
        examples.append((label.story_cluster_id, article_id, example))
    return [example for _story, _id, example in sorted(examples, key=lambda e: (e[0], e[1]))]


def _chunks(values: Sequence[Any], size: int = IN_LIST_SIZE) -> list[Sequence[Any]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def near_misses(session: Session, start: datetime, end: datetime, near_miss: float, relevant: float) -> list[NearMiss]:
    """The stories not tagged relevant whose best score in ``[start, end)`` is in ``[near_miss, relevant)``.

    The window is on each article's publication time, or when it was first seen when undated, as the
    digest and the News Monitor's stories of a day are. A story some article of which is tagged
    relevant (on any day) is no miss and is left out. Best score first, then newest first.
    ``near_miss`` and ``relevant`` are the taxonomy's ``thresholds`` (``Lexicon.near_miss_threshold``,
    ``Lexicon.relevant_threshold``).
    """
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    flagged = select(StoryClusterRow.id).where(StoryClusterRow.relevant.is_(True))
    rows = session.execute(
        select(
            ArticleRow.id,
            ArticleRow.story_cluster_id,
            ArticleRow.score,
            ArticleRow.title,
            ArticleRow.url,
            ArticleRow.source,
            ArticleRow.published_at,
            ArticleRow.first_seen_at,
            ArticleRow.model_version,
        ).where(
            when >= start,
            when < end,
            ArticleRow.relevant.is_(False),
            ArticleRow.score >= near_miss,  # weaker copies cannot raise a story's best score
            ArticleRow.story_cluster_id.not_in(flagged),
        )
    ).all()
    stories: dict[str, list[Any]] = {}
    for row in rows:
        stories.setdefault(row.story_cluster_id, []).append(row)
    misses = []
    for story_id, members in stories.items():
        members.sort(key=lambda m: (-m.score, m.published_at or m.first_seen_at, m.id))
        lead = members[0]
        if not near_miss <= lead.score < relevant:
            continue
        misses.append(
            NearMiss(
                story_cluster_id=story_id,
                score=float(lead.score),
                lead_article_id=lead.id,
                title=lead.title or "",
                url=lead.url,
                source=lead.source,
                published_at=lead.published_at or lead.first_seen_at,
                article_ids=tuple(m.id for m in members),
                model_version=lead.model_version or "",
            )
        )
    misses.sort(key=lambda m: (-m.score, -m.published_at.timestamp(), m.story_cluster_id))
    return misses



def label_overrides(session: Session, story_ids: Collection[str]) -> dict[str, bool]:
    """The analysts' latest label of each of ``story_ids`` that has one: relevant or not."""
    return {label.story_cluster_id: label.relevant for label in latest_labels(session, set(story_ids))}


def with_label(verdict: Verdict, relevant: bool | None) -> Verdict:
    """The verdict with an analyst's label standing over the tagger's decision.

    A story an analyst marked not relevant stays out of digests and alerts, and one marked relevant
    stays in, whatever the model scores it; the score, evidence and contributions stay the model's, so
    the next model can still be judged against the label.
    """
    if relevant is None or verdict.relevant == relevant:
        return verdict
    return replace(verdict, relevant=relevant, tags=verdict.tags if relevant else ())
