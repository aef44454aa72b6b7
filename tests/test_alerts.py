"""Digest tests: selection (one entry per event, recipient languages), rendering (escaping, subjects,
reports of an event, why it matched, near misses) and exactly-once delivery of digests and alerts.

Delivery runs against the real ledger on both warehouse backends and a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import dataclasses
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from newswatch.alerts import chart
from newswatch.alerts.deliver import OutboxTransport, SmtpTransport, deliver_digest, message_id_for, tls_context
from newswatch.alerts.render import render_digest, safe_url, signed_weight, subject_for
from newswatch.alerts.select import (
    MAX_NEAR_MISSES,
    Digest,
    Story,
    digest_id_for,
    group_events,
    group_stories,
    select_digest,
    select_immediate_alerts,
)
from newswatch.config import Recipient
from newswatch.dedup import content_hash
from newswatch.records import Article, Contribution, Evidence, Verdict
from newswatch.warehouse import load
from newswatch.warehouse.queries import StoryArticle, parse_contributions
from newswatch.warehouse.schema import AlertDeliveryRow
from tests.support import mailsink
from tests.support.feedpolls import polled_ok
from tests.support.mailsink import self_signed_tls, serve_smtp

IST = ZoneInfo("Asia/Kolkata")
WINDOW_END = datetime(2026, 2, 28, 8, 0, tzinfo=IST).astimezone(UTC)  # 02:30 UTC
WINDOW_START = WINDOW_END - timedelta(days=1)
PUBLISHED = datetime(2026, 2, 27, 14, 5, tzinfo=IST).astimezone(UTC)
MAIL_FROM = "newswatch@example.org"
EVIDENCE = "Indian and Italian defence companies signed five MoUs at an industry seminar in Rome on Friday."


def story_article(
    article_id: int,
    *,
    cluster: str = "c1",
    source: str = "ians",
    source_title: str = "IANS",
    title: str = "Indian, Italian defence firms sign five MoUs in Rome",
    url: str | None = None,
    score: float = 0.9,
    tags: list[str] | None = None,
    published_at: datetime | None = PUBLISHED,
    evidence: str = EVIDENCE,
    language: str = "en",
    event: str = "",
) -> StoryArticle:
    """A StoryArticle as the digest query would return it."""
    return StoryArticle(
        id=article_id,
        source=source,
        source_title=source_title,
        url=url or f"https://{source}.example/news/{article_id}",
        title=title,
        summary="Indian and Italian defence firms signed five MoUs at a seminar in Rome.",
        published_at=published_at,
        first_seen_at=PUBLISHED,
        score=score,
        tags=tags if tags is not None else ["industrial-cooperation", "diplomacy"],
        evidence=[{"sentence": evidence, "terms": ["Indian", "Italian", "defence", "MoUs"]}],
        story_cluster_id=cluster,
        wire="IANS",
        dateline="Rome",
        language=language,
        event_id=event,
    )


# What a learned tagger says about the seminar story: strongest first, as the warehouse stores it.
CONTRIBUTIONS = (
    Contribution("bilateral_defence_sentences", "sentences naming India, Italy and a defence matter", 2.0, 3.14),
    Contribution("third_countries", "third countries named", 1.0, -0.8),
    Contribution("headline_both_sides", "the headline names India and Italy", 1.0, 1.2),
    Contribution("defence_terms", "defence terms in the text", 4.0, 0.45),
    Contribution("sport_context", "a sport story", 0.0, -0.04),
    Contribution("many_countries", "India and Italy only in lists of many countries", 1.0, -0.3),
    Contribution("bias", "prior", 1.0, 0.2),
)


def explained(story: Story, contributions: tuple[Contribution, ...] = CONTRIBUTIONS) -> Story:
    """``story`` with ``contributions`` stored for each of its articles."""
    return dataclasses.replace(story, explanations={a.id: contributions for a in (story.lead, *story.also)})


def make_digest(*stories: Story, day: str = "28 Feb 2026") -> Digest:
    return Digest(digest_id_for(WINDOW_END), day, WINDOW_START, WINDOW_END, tuple(stories), {"2026-02-27": 1})


def one_story_digest(**kwargs: Any) -> Digest:
    return make_digest(*group_events([story_article(1, **kwargs)]))


# --- select ------------------------------------------------------------------------------------------------


def test_group_stories_one_per_cluster_with_best_lead() -> None:
    """The News Monitor's grouping: one story per cluster, whatever the event; its lead is the
    highest-scoring article; other outlets go to 'also'."""
    articles = [
        story_article(1, cluster="seminar", source="menafn", source_title="MENAFN", score=0.8),
        story_article(2, cluster="seminar", source="ians", source_title="IANS", score=0.95),
        story_article(3, cluster="seminar", source="portal", source_title="Portal", score=0.7),
        story_article(4, cluster="passex", source="pib", source_title="PIB", score=0.9, title="PASSEX off Mumbai"),
        story_article(5, cluster="passex-it", source="difesa", score=0.85, language="it", event="e-passex"),
    ]
    stories = group_stories(articles)
    assert [s.cluster_id for s in stories] == ["seminar", "passex", "passex-it"]
    assert stories[2].event_id == "e-passex" and stories[0].event_id == "seminar"  # no event: its own story
    seminar = stories[0]
    assert seminar.lead.id == 2
    assert seminar.score == 0.95
    assert [a.source_title for a in seminar.also] == ["MENAFN", "Portal"]
    assert stories[1].lead.id == 4 and stories[1].also == ()


def test_group_events_tie_prefers_earliest_and_drops_same_url() -> None:
    """On equal scores the earliest article leads; a copy with a URL already listed is not another report."""
    early = story_article(5, published_at=PUBLISHED - timedelta(hours=2), url="https://ians.example/x")
    late = story_article(6, source="ansa", published_at=PUBLISHED)
    same_url = story_article(7, source="gnews", url="https://ians.example/x", score=0.5)
    (story,) = group_events([late, same_url, early])
    assert story.lead.id == 5
    assert [a.id for a in story.also] == [6]


def test_digest_id_uses_the_ist_date() -> None:
    """The digest id is the IST date of the window's end, not the UTC date."""
    assert digest_id_for(datetime(2026, 2, 27, 20, 0, tzinfo=UTC)) == "india-italy-defence-2026-02-28"
    assert digest_id_for(datetime(2026, 2, 27, 18, 0, tzinfo=UTC)) == "india-italy-defence-2026-02-27"
    assert digest_id_for(WINDOW_END) == "india-italy-defence-2026-02-28"


def test_for_recipient_filters_by_min_score_and_topics() -> None:
    """A recipient's copy keeps only stories at or above their score with one of their topics."""
    digest = make_digest(
        *group_events(
            [
                story_article(1, cluster="a", score=0.9, tags=["industrial-cooperation"]),
                story_article(2, cluster="b", score=0.6, tags=["procurement"]),
                story_article(3, cluster="c", score=0.95, tags=["joint-exercise", "naval"]),
                story_article(4, cluster="d", score=0.7, tags=["procurement"]),
            ]
        )
    )
    everyone = Recipient("analysts@example.org")
    desk = Recipient("desk@example.org", min_score=0.7, topics=("industrial-cooperation", "procurement"))
    assert [s.cluster_id for s in digest.for_recipient(everyone).stories] == ["c", "a", "d", "b"]
    copy = digest.for_recipient(desk)
    assert [s.cluster_id for s in copy.stories] == ["a", "d"]
    assert copy.article_ids == [1, 4]
    assert (copy.digest_id, copy.day, copy.window_end) == (digest.digest_id, digest.day, digest.window_end)


def test_story_weighs_the_strongest_three_for_and_two_against() -> None:
    """A story shows its lead's top three features for and top two against, strongest first."""
    (story,) = group_events([story_article(1)])
    story = explained(story)
    assert [(c.feature, c.weight) for c in story.weighed_for] == [
        ("bilateral_defence_sentences", 3.14),
        ("headline_both_sides", 1.2),
        ("defence_terms", 0.45),
    ]
    assert [(c.feature, c.weight) for c in story.weighed_against] == [
        ("third_countries", -0.8),
        ("many_countries", -0.3),
    ]
    # An article tagged before contributions were stored explains nothing, and says nothing.
    (old,) = group_events([story_article(2)])
    assert old.contributions == () and old.weighed_for == [] and old.weighed_against == []


def test_story_told_in_another_language_shows_its_own_leads_contributions() -> None:
    """A language-filtered copy is led by another article, and explained by that article's features."""
    english = story_article(1, score=0.95)
    italian = story_article(2, source="ansa", source_title="ANSA", score=0.7, language="it")
    (story,) = group_events([english, italian])
    italian_reasons = (Contribution("bilateral_defence_sentences", "frasi con India, Italia e difesa", 1.0, 2.5),)
    story = dataclasses.replace(story, explanations={1: CONTRIBUTIONS, 2: italian_reasons})
    told = story.in_languages(("it",))
    assert told is not None and told.lead.id == 2
    assert [c.description for c in told.weighed_for] == ["frasi con India, Italia e difesa"]


# One port call reported by PIB in English and by the Italian defence ministry in Italian: two stories
# (no shared text) of one event.
PORT_CALL = "e-7f3a9c0d12b4e658"


def port_call_reports() -> tuple[StoryArticle, StoryArticle]:
    """PIB's English report and the Italian ministry's, an hour earlier but scored lower."""
    pib = story_article(
        11,
        cluster="pib-tabar",
        source="pib",
        source_title="PIB",
        title="INS Tabar arrives at Naples on a goodwill visit",
        score=0.93,
        tags=["naval", "diplomacy"],
        event=PORT_CALL,
    )
    difesa = story_article(
        12,
        cluster="difesa-tabar",
        source="difesa",
        source_title="Ministero della Difesa",
        title="Nave indiana Tabar in visita a Napoli",
        score=0.81,
        tags=["naval"],
        published_at=PUBLISHED - timedelta(hours=1),
        language="it",
        event=PORT_CALL,
    )
    return pib, difesa


def test_group_events_one_entry_per_event_across_outlets_and_languages() -> None:
    """Stories of one event, in any outlet and language, make one entry led by its best report; each
    outlet's copy of a story is listed once; the entry was first reported at its earliest article."""
    pib, difesa = port_call_reports()
    menafn = story_article(13, cluster="pib-tabar", source="menafn", source_title="MENAFN", score=0.9, event=PORT_CALL)
    pib_again = story_article(  # PIB's second page of its own release: same story, same outlet
        14, cluster="pib-tabar", source="pib", score=0.7, published_at=PUBLISHED - timedelta(hours=2), event=PORT_CALL
    )
    seminar = story_article(1, cluster="seminar", score=0.95)  # loaded before events: its story is its event
    stories = group_events([difesa, pib_again, seminar, menafn, pib])
    assert [s.event_id for s in stories] == ["seminar", PORT_CALL]
    port_call = stories[1]
    assert port_call.lead.id == 11 and [a.id for a in port_call.also] == [13, 12]
    assert port_call.outlets == 3 and port_call.score == 0.93 and port_call.topics == ["naval", "diplomacy"]
    assert port_call.when == PUBLISHED - timedelta(hours=2)  # the first article, listed or not
    assert make_digest(*stories).article_ids == [1, 11, 13, 12]


def test_recipient_languages_pick_the_lead_and_drop_events_they_cannot_read() -> None:
    """An Italian group sees the event led by the Italian report (its headline, evidence and relevance)
    with the English report still listed; a group reading Italian then English prefers Italian, English
    then Italian the other way round; an event with no report in the group's languages is left out."""
    pib, difesa = port_call_reports()
    seminar = story_article(1, cluster="seminar", score=0.95)
    digest = make_digest(*group_events([pib, difesa, seminar]))
    rome = digest.for_recipient(Recipient("rome@example.org", languages=("it",)))
    (told,) = rome.stories
    assert told.event_id == PORT_CALL and told.lead is difesa and told.also == (pib,)
    assert told.score == 0.81 and told.outlets == 2 and rome.article_ids == [12, 11]
    both = Recipient("both@example.org", languages=("it", "en"))
    assert [s.lead.id for s in digest.for_recipient(both).stories] == [1, 12]
    english_first = Recipient("both@example.org", languages=("en", "it"))
    assert [s.lead.id for s in digest.for_recipient(english_first).stories] == [1, 11]
    # min_score and topics judge the event by its strongest report, whatever the group reads.
    strict = Recipient("rome@example.org", languages=("it",), min_score=0.9, topics=("naval",))
    assert [s.lead.id for s in digest.for_recipient(strict).stories] == [12]
    assert digest.for_recipient(Recipient("de@example.org", languages=("de",))).stories == ()


def test_parse_contributions_skips_what_is_not_a_contribution() -> None:
    """Stored JSON becomes records; a hand-edited entry without a numeric weight is skipped, not fatal."""
    stored = [
        {"feature": "a", "description": "first", "value": 1, "weight": 2.5},
        {"feature": "b", "value": 1, "weight": "-0.5"},  # no description: the feature's name stands in
        {"feature": "c", "description": "no weight"},
        {"feature": "d", "description": "bad weight", "weight": "heavy"},
        "not a mapping",
    ]
    assert parse_contributions(stored) == (
        Contribution("a", "first", 1.0, 2.5),
        Contribution("b", "b", 1.0, -0.5),
    )
    assert parse_contributions(None) == () and parse_contributions({"weight": 1}) == ()


def near_miss_digest(count: int = 2) -> Digest:
    """One relevant story and ``count`` near misses (the second of them told in Italian)."""
    relevant = explained(group_events([story_article(1, cluster="a", tags=["industrial-cooperation"])])[0])
    misses = [
        explained(
            group_events(
                [
                    story_article(
                        100 + n,
                        cluster=f"miss-{n}",
                        title=f"Near miss {n}: Italian frigate visits Mumbai",
                        score=round(0.45 - n * 0.01, 2),
                        tags=[],
                        language="it" if n == 1 else "en",
                    )
                ]
            )[0]
        )
        for n in range(count)
    ]
    digest = make_digest(relevant)
    return dataclasses.replace(digest, near_misses=tuple(misses), near_miss_band=(0.2, 0.5))


def test_near_misses_reach_only_the_groups_that_ask() -> None:
    """Near misses are in the copy of a group with near_misses on, filtered by its languages but not by
    its minimum score or topics; other copies, and the digest as a whole, show none."""
    digest = near_miss_digest()
    assert digest.possibly_relevant == ()
    plain = digest.for_recipient(Recipient("analysts@example.org"))
    assert plain.possibly_relevant == () and plain.near_misses == ()
    reviewer = Recipient("review@example.org", min_score=0.7, topics=("naval",), near_misses=True)
    copy = digest.for_recipient(reviewer)
    assert [s.cluster_id for s in copy.possibly_relevant] == ["miss-0", "miss-1"]
    assert copy.stories == () and copy.article_ids == []  # the ledger records the digest's stories only
    rome = digest.for_recipient(Recipient("rome@example.org", languages=("it",), near_misses=True))
    assert [s.cluster_id for s in rome.possibly_relevant] == ["miss-1"]


def test_near_misses_render_collapsed_in_html_and_listed_in_text() -> None:
    """The group's copy has a closed <details> section and a text list, each miss with link, source,
    score and features; a copy without near misses renders without any of it."""
    copy = near_miss_digest().for_recipient(Recipient("review@example.org", near_misses=True))
    rendered = render_digest(copy)
    assert rendered.subject == "India–Italy defence: 1 event — 28 Feb 2026"  # near misses are not counted
    text, html = rendered.text, rendered.html
    section = text[text.index("== Possibly relevant: 2 near misses ==") : text.index("Relevant events per day")]
    assert "Scored 0.20 to under 0.50" in section
    assert (
        "\n- Near miss 0: Italian frigate visits Mumbai\n  IANS · 27 Feb 2026 14:05 IST · relevance 0.45\n" in section
    )
    assert "  https://ians.example/news/100\n" in section
    assert (
        "  Weighed against: third countries named (−0.8); India and Italy only in lists of many countries (−0.3)\n"
        in section
    )
    assert "<details" in html and "<details open" not in html
    details = html[html.index("<details") : html.index("</details>")]
    assert "Possibly relevant (2)</summary>" in details
    assert '<a href="https://ians.example/news/101"' in details and "relevance 0.44" in details
    assert "sentences naming India, Italy and a defence matter" in details

    plain = render_digest(near_miss_digest().for_recipient(Recipient("analysts@example.org")))
    assert "Possibly relevant" not in plain.text and "<details" not in plain.html


def test_near_miss_section_shows_at_most_the_best_few() -> None:
    """A busy window lists the best MAX_NEAR_MISSES and says how many more there were."""
    copy = near_miss_digest(MAX_NEAR_MISSES + 3).for_recipient(Recipient("review@example.org", near_misses=True))
    assert len(copy.possibly_relevant) == MAX_NEAR_MISSES and copy.near_misses_not_shown == 3
    rendered = render_digest(copy)
    assert f"== Possibly relevant: {MAX_NEAR_MISSES + 3} near misses ==" in rendered.text
    assert rendered.text.count("\n- Near miss ") == MAX_NEAR_MISSES
    assert "and 3 more, scored lower" in rendered.text and "and 3 more, scored lower" in rendered.html


# --- render ------------------------------------------------------------------------------------------------


def test_subject_counts_events_and_names_the_day() -> None:
    """'1 event' in the singular, 'N events' otherwise, with the digest's day."""
    one = one_story_digest()
    two = make_digest(*group_events([story_article(1, cluster="a"), story_article(2, cluster="b")]))
    assert subject_for(one) == "India–Italy defence: 1 event — 28 Feb 2026"
    assert subject_for(two) == "India–Italy defence: 2 events — 28 Feb 2026"
    assert render_digest(two).subject == subject_for(two)


def test_render_escapes_html_and_neutralises_javascript_links() -> None:
    """A hostile headline is escaped in HTML and a javascript: link becomes '#'."""
    hostile = "Defence MoU <script>alert(1)</script> signed"
    digest = one_story_digest(title=hostile, url="javascript:alert(document.cookie)")
    rendered = render_digest(digest)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "javascript:" not in rendered.html
    assert 'href="#"' in rendered.html
    assert hostile in rendered.text  # plain text is not HTML: shown as it is


def test_safe_url_only_allows_http_and_https() -> None:
    """Only http(s) links survive, whatever the case or leading blanks of the scheme."""
    assert safe_url("https://ians.example/a?b=1") == "https://ians.example/a?b=1"
    assert safe_url("http://pib.example/x") == "http://pib.example/x"
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,hi",
        "vbscript:msgbox",
        "//evil.example/x",
    ):
        assert safe_url(bad) == "#", bad


def test_text_part_has_headline_link_evidence_and_times() -> None:
    """The plain-text part carries the headline, the link, the evidence and IST/Rome times."""
    digest = make_digest(
        *group_events(
            [
                story_article(1, source_title="IANS"),
                story_article(2, source="menafn", source_title="MENAFN", score=0.6),
            ]
        )
    )
    rendered = render_digest(digest)
    text = rendered.text
    assert text.startswith("India–Italy defence: 1 event — 28 Feb 2026\n")
    assert "== Industrial cooperation (1) ==\n\n* Indian, Italian defence firms sign five MoUs in Rome" in text
    assert "https://ians.example/news/1" in text
    assert f'Why: "{EVIDENCE}"' in text
    assert "27 Feb 2026 14:05 IST · 09:35 CET Rome" in text
    assert (
        "  Reported by 2 outlets:\n"
        "  - IANS (EN) <https://ians.example/news/1>\n"
        "  - MENAFN (EN) <https://menafn.example/news/2>\n"
    ) in text
    assert "Topics: industrial-cooperation, diplomacy · relevance 0.90" in text
    assert "  2026-02-27: 1\n  2026-02-28: 0 (today)\n" in text
    assert "Nothing new" not in text
    assert "https://ians.example/news/1" in rendered.html
    assert "MENAFN" in rendered.html


def test_mixed_language_event_renders_as_one_entry_in_both_parts() -> None:
    """PIB's English report and the Italian ministry's of one port call: one entry, headed by the best
    report, first reported at the earlier one, "Reported by 2 outlets" with each report's source,
    language code and link, in the text and the HTML part."""
    pib, difesa = port_call_reports()
    rendered = render_digest(make_digest(*group_events([pib, difesa])))
    text, html = rendered.text, rendered.html
    assert rendered.subject == "India–Italy defence: 1 event — 28 Feb 2026"
    assert re.findall(r"^\* (.+)$", text, flags=re.MULTILINE) == ["INS Tabar arrives at Naples on a goodwill visit"]
    assert (
        "* INS Tabar arrives at Naples on a goodwill visit\n"
        "  First reported 27 Feb 2026 13:05 IST · 08:35 CET Rome · Rome\n"
        "  https://pib.example/news/11\n"
    ) in text
    assert (
        "  Reported by 2 outlets:\n"
        "  - PIB (EN) <https://pib.example/news/11>\n"
        "  - Ministero della Difesa (IT) <https://difesa.example/news/12>\n"
    ) in text
    assert html.count("<h3") == 1 and html.count("Reported by 2 outlets:") == 1
    assert 'lang="en"><a href="https://pib.example/news/11"' in html
    reports = html[html.index("Reported by 2 outlets:") : html.index("</ul>")]
    assert re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a> <span[^>]*>([A-Z]+)</span></li>', reports) == [
        ("https://pib.example/news/11", "PIB", "EN"),
        ("https://difesa.example/news/12", "Ministero della Difesa", "IT"),
    ]
    assert "First reported 27 Feb 2026 13:05 IST · 08:35 CET Rome" in html


def test_italian_copy_is_headed_by_the_italian_report() -> None:
    """The Rome desk's copy of the port call carries the Italian headline and link, its own report
    listed first, and PIB's English report after it; an English-only event is not in it."""
    pib, difesa = port_call_reports()
    seminar = story_article(1, cluster="seminar", title="Indian, Italian defence firms sign five MoUs in Rome")
    digest = make_digest(*group_events([pib, difesa, seminar]))
    rendered = render_digest(digest.for_recipient(Recipient("rome@example.org", languages=("it",))))
    assert rendered.subject == "India–Italy defence: 1 event — 28 Feb 2026"
    assert re.findall(r"^\* (.+)$", rendered.text, flags=re.MULTILINE) == ["Nave indiana Tabar in visita a Napoli"]
    assert "  https://difesa.example/news/12\n" in rendered.text
    assert (
        "  Reported by 2 outlets:\n"
        "  - Ministero della Difesa (IT) <https://difesa.example/news/12>\n"
        "  - PIB (EN) <https://pib.example/news/11>\n"
    ) in rendered.text
    assert 'lang="it"><a href="https://difesa.example/news/12"' in rendered.html
    assert seminar.title not in rendered.text and seminar.title not in rendered.html


def test_why_it_matched_lists_the_features_for_and_against_in_both_parts() -> None:
    """Beside the deciding sentences, each entry says what weighed for and against it, with signed weights."""
    digest = make_digest(explained(group_events([story_article(1)])[0]))
    rendered = render_digest(digest)
    assert (
        f'  Why: "{EVIDENCE}" [Indian, Italian, defence, MoUs]\n'
        "  Weighed for: sentences naming India, Italy and a defence matter (+3.1); "
        "the headline names India and Italy (+1.2); defence terms in the text (+0.5)\n"
        "  Weighed against: third countries named (−0.8); India and Italy only in lists of many countries (−0.3)\n"
    ) in rendered.text
    html = rendered.html
    why = html[html.index("Why it matched:") : html.index("</div>", html.index("Weighed against:"))]
    assert "Weighed for:</span> sentences naming India, Italy and a defence matter" in why
    assert "(+3.1)</span>" in why and "(−0.8)</span>" in why
    assert why.index("+3.1") < why.index("+1.2") < why.index("+0.5")


def test_feature_descriptions_are_escaped() -> None:
    """A description is data like any other text: escaped in the HTML part, verbatim in the text part."""
    hostile = (Contribution("x", 'terms <img src=x onerror="alert(1)"> & more', 1.0, 0.9),)
    digest = make_digest(explained(group_events([story_article(1)])[0], hostile))
    rendered = render_digest(digest)
    assert "<img src=x" not in rendered.html
    assert "terms &lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; more" in rendered.html
    assert 'Weighed for: terms <img src=x onerror="alert(1)"> & more (+0.9)' in rendered.text


def test_entry_without_contributions_is_unchanged() -> None:
    """Stories tagged before contributions were stored render as they always did: no 'Weighed' lines."""
    rendered = render_digest(one_story_digest())
    assert "Weighed" not in rendered.text and "Weighed" not in rendered.html
    assert "  Why: " in rendered.text


def test_signed_weight_reads_like_a_log_odds_pull() -> None:
    """One decimal with its sign (a real minus), two where one decimal would show a pull as nothing."""
    assert signed_weight(3.14) == "+3.1"
    assert signed_weight(-0.8) == "\N{MINUS SIGN}0.8"
    assert signed_weight(0.04) == "+0.04" and signed_weight(-0.04) == "\N{MINUS SIGN}0.04"
    assert signed_weight(0.0) == "+0.0"


def test_empty_digest_says_nothing_new() -> None:
    """A digest without events says so in both parts and counts 0 events."""
    rendered = render_digest(make_digest())
    assert rendered.subject == "India–Italy defence: 0 events — 28 Feb 2026"
    assert "Nothing new on India–Italy defence" in rendered.text
    assert "Nothing new on India–Italy defence" in rendered.html


# --- warehouse-backed selection ----------------------------------------------------------------------------


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    return migrated_engine


def stored_article(
    slug: str,
    source: str,
    cluster: str,
    score: float,
    published: datetime,
    contributions: tuple[Contribution, ...] = (),
    relevant: bool = True,
    language: str = "en",
    event: str | None = None,
) -> Article:
    text = f"{EVIDENCE} The agreements were signed on the sidelines of the seminar ({slug})."
    verdict = Verdict(
        relevant,
        score,
        ("industrial-cooperation",) if relevant else (),
        (Evidence(EVIDENCE, ("Indian", "Italian")),),
        language,
        contributions=contributions,
        model_version="test-model",
    )
    url = f"https://{source}.example/{slug}"
    return Article(
        source=source,
        url=url,
        canonical_url=url,
        title=f"Indian, Italian firms sign MoUs ({source})",
        text=text,
        summary=text[:120],
        language=language,
        published_at=published,
        published_from="meta",
        first_seen_at=published,
        fetched_at=published,
        content_hash=content_hash(text),
        story_cluster_id=cluster,
        event_id=event,
        verdict=verdict,
    )


SOURCES = [
    {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/rss"},
    {"name": "menafn", "title": "MENAFN", "feed_url": "https://menafn.example/rss"},
    {"name": "pib", "title": "PIB", "feed_url": "https://pib.example/rss"},
    {"name": "difesa", "title": "Ministero della Difesa", "feed_url": "https://difesa.example/rss"},
]


def test_select_digest_from_the_warehouse(engine: Engine) -> None:
    """Two outlets of one story in the window make one story; the day is the IST date without a zero."""
    end = datetime(2026, 3, 1, 8, 0, tzinfo=IST).astimezone(UTC)
    start = end - timedelta(days=1)
    with Session(engine) as session:
        load.upsert_sources(
            session,
            [
                {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/rss"},
                {"name": "menafn", "title": "MENAFN", "feed_url": "https://menafn.example/rss"},
            ],
        )
        load.upsert_articles(
            session,
            [
                stored_article("seminar", "ians", "k1", 0.95, start + timedelta(hours=3)),
                stored_article("seminar-copy", "menafn", "k1", 0.9, start + timedelta(hours=5)),
                stored_article("old", "ians", "k0", 0.99, start - timedelta(hours=1)),
            ],
        )
        polled_ok(session, ["ians", "menafn"], end - timedelta(minutes=10))  # both read: a complete digest
        session.commit()
        digest = select_digest(session, start, end)
    assert digest.digest_id == "india-italy-defence-2026-03-01"
    assert digest.day == "1 Mar 2026"
    assert len(digest.stories) == 1
    story = digest.stories[0]
    assert (story.lead.source, [a.source_title for a in story.also]) == ("ians", ["MENAFN"])
    assert render_digest(digest).subject == "India–Italy defence: 1 event — 1 Mar 2026"
    assert sum(digest.daily_counts.values()) == 2
    assert digest.near_misses == ()  # none asked for
    assert digest.sources_watched == 2 and digest.source_problems == ()


def test_select_digest_explains_stories_and_finds_near_misses(engine: Engine) -> None:
    """Stories carry their stored contributions; near misses are the window's stories scored in the band,
    outside any cluster with a relevant article."""
    end = datetime(2026, 3, 1, 8, 0, tzinfo=IST).astimezone(UTC)
    start = end - timedelta(days=1)
    against = (Contribution("third_countries", "third countries named", 1.0, -0.9),)
    articles = [
        stored_article("seminar", "ians", "k1", 0.95, start + timedelta(hours=3), CONTRIBUTIONS),
        # A weak copy of a relevant story is no near miss: the story is in the digest.
        stored_article("seminar-weak", "menafn", "k1", 0.3, start + timedelta(hours=4), against, relevant=False),
        stored_article("frigate", "ians", "m1", 0.35, start + timedelta(hours=5), against, relevant=False),
        stored_article("frigate-copy", "menafn", "m1", 0.25, start + timedelta(hours=6), against, relevant=False),
        stored_article("trade", "ians", "t1", 0.1, start + timedelta(hours=5), against, relevant=False),
        stored_article("old-miss", "ians", "m0", 0.4, start - timedelta(hours=1), against, relevant=False),
    ]
    with Session(engine) as session:
        load.upsert_sources(
            session,
            [
                {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/rss"},
                {"name": "menafn", "title": "MENAFN", "feed_url": "https://menafn.example/rss"},
            ],
        )
        load.upsert_articles(session, articles)
        load.refresh_story_clusters(session, {a.story_cluster_id for a in articles})
        session.commit()
        digest = select_digest(session, start, end, near_miss_band=(0.2, 0.5))
    (story,) = digest.stories
    assert story.contributions == CONTRIBUTIONS
    assert [c.feature for c in story.weighed_for] == [
        "bilateral_defence_sentences",
        "headline_both_sides",
        "defence_terms",
    ]
    (miss,) = digest.near_misses
    assert (miss.cluster_id, miss.lead.source, miss.score) == ("m1", "ians", 0.35)
    assert [a.source_title for a in miss.also] == ["MENAFN"]
    assert miss.weighed_against == list(against) and miss.topics == []
    assert digest.near_miss_band == (0.2, 0.5)
    copy = digest.for_recipient(Recipient("review@example.org", near_misses=True))
    assert copy.possibly_relevant == (miss,)


def test_select_digest_groups_stored_reports_by_event(engine: Engine) -> None:
    """Stories stored with one event id make one entry, in both languages; an article loaded before
    events is its own; a weak report of a listed event is no near miss; the chart counts events."""
    end = datetime(2026, 3, 1, 8, 0, tzinfo=IST).astimezone(UTC)
    start = end - timedelta(days=1)
    articles = [
        stored_article("tabar", "pib", "k-pib", 0.93, start + timedelta(hours=3), event=PORT_CALL),
        stored_article(
            "tabar-it", "difesa", "k-difesa", 0.81, start + timedelta(hours=2), language="it", event=PORT_CALL
        ),
        stored_article(
            "tabar-weak", "menafn", "k-weak", 0.3, start + timedelta(hours=4), relevant=False, event=PORT_CALL
        ),
        stored_article("seminar", "ians", "k-seminar", 0.9, start + timedelta(hours=5)),  # before events
    ]
    with Session(engine) as session:
        load.upsert_sources(session, SOURCES)
        load.upsert_articles(session, articles)
        load.refresh_story_clusters(session, {a.story_cluster_id for a in articles})
        polled_ok(session, [s["name"] for s in SOURCES], end - timedelta(minutes=10))
        session.commit()
        digest = select_digest(session, start, end, near_miss_band=(0.2, 0.5))
    port_call, seminar = digest.stories
    assert (port_call.event_id, port_call.lead.source, port_call.outlets) == (PORT_CALL, "pib", 2)
    assert [(a.source_title, a.language) for a in port_call.reports] == [
        ("PIB", "en"),
        ("Ministero della Difesa", "it"),
    ]
    assert port_call.when == start + timedelta(hours=2)
    assert seminar.event_id == "k-seminar" and seminar.outlets == 1
    assert digest.near_misses == ()
    assert sum(digest.daily_counts.values()) == 2
    assert render_digest(digest).subject == "India–Italy defence: 2 events — 1 Mar 2026"


# --- deliver -----------------------------------------------------------------------------------------------


@pytest.fixture
def ledger(engine: Engine) -> Iterator[Session]:
    """A plain session (the caller commits) on a warehouse with the schema, for the delivery ledger."""
    with Session(engine) as session:
        yield session


def ledger_rows(session: Session, digest_id: str) -> dict[str, AlertDeliveryRow]:
    session.expire_all()
    rows = session.scalars(select(AlertDeliveryRow).where(AlertDeliveryRow.digest_id == digest_id))
    return {r.recipient: r for r in rows}


def test_outbox_transport_writes_eml_and_html(tmp_path: Path, ledger: Session) -> None:
    """The outbox holds one .eml and one .html per recipient; a second delivery sends nothing."""
    digest = one_story_digest()
    outbox = OutboxTransport(tmp_path / "outbox")
    recipients = [Recipient("analysts@example.org", "Defence analysts"), Recipient("Desk.Two@Example.org")]
    report = deliver_digest(ledger, digest, recipients, outbox, MAIL_FROM)
    assert report.sent == ["analysts@example.org", "Desk.Two@Example.org"]
    assert report.failed == {} and report.skipped == []

    stem = f"{digest.digest_id}__analysts-example-org"
    assert sorted(p.name for p in outbox.folder.iterdir()) == sorted(
        [
            f"{stem}.eml",
            f"{stem}.html",
            f"{stem}.png",
            f"{digest.digest_id}__desk-two-example-org.eml",
            f"{digest.digest_id}__desk-two-example-org.html",
            f"{digest.digest_id}__desk-two-example-org.png",
        ]
    )
    message = message_from_bytes((outbox.folder / f"{stem}.eml").read_bytes(), policy=policy.default)
    assert message["Subject"] == "India–Italy defence: 1 event — 28 Feb 2026"
    assert message["To"] == "Defence analysts <analysts@example.org>"
    html = (outbox.folder / f"{stem}.html").read_text(encoding="utf-8")
    # The page shows the chart from the PNG beside it instead of the message's cid: reference.
    expected = render_digest(digest, chart_src=f"{stem}.png")
    assert html.rstrip("\n") == expected.html.rstrip("\n")  # the MIME part ends with a newline
    assert (outbox.folder / f"{stem}.png").read_bytes() == expected.chart_png

    again = deliver_digest(ledger, digest, recipients, outbox, MAIL_FROM)
    assert again.sent == [] and again.skipped == [r.email for r in recipients]
    assert len(list(outbox.folder.iterdir())) == 6
    rows = ledger_rows(ledger, digest.digest_id)
    assert {r.status for r in rows.values()} == {"sent"}
    assert rows["analysts@example.org"].channel == "outbox"
    assert rows["analysts@example.org"].article_ids == [1]


def test_send_empty_false_skips_recipients_with_nothing(tmp_path: Path, ledger: Session) -> None:
    """With send_empty off, a recipient whose filtered copy is empty gets nothing and no ledger row."""
    digest = one_story_digest(score=0.6)
    outbox = OutboxTransport(tmp_path / "outbox")
    strict = Recipient("desk@example.org", min_score=0.8)
    report = deliver_digest(ledger, digest, [strict], outbox, MAIL_FROM, send_empty=False)
    assert report.skipped == ["desk@example.org"] and report.sent == []
    assert not outbox.folder.exists()
    assert ledger_rows(ledger, digest.digest_id) == {}


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that keeps every accepted message and refuses the first ``refuse`` attempts;
    ``tls`` says, for each accepted message, whether it came over TLS."""

    refuse: int = 0
    received: list[tuple[list[str], bytes]] = field(default_factory=list)
    refused: int = 0
    tls: list[bool] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refused < self.refuse:
            self.refused += 1
            return "451 try again"
        self.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        self.tls.append(server.transport.get_extra_info("ssl_object") is not None)
        return "250 OK"

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [
            message_from_bytes(content, policy=policy.default) for rcpts, content in self.received if address in rcpts
        ]


@pytest.fixture
def smtp_server() -> Iterator[tuple[RecordingHandler, SmtpTransport]]:
    """A real SMTP server on 127.0.0.1 and a transport pointing at it."""
    handler = RecordingHandler()
    with serve_smtp(handler) as port:
        yield handler, SmtpTransport(host="127.0.0.1", port=port, timeout_s=5.0)


def test_smtp_delivery_message_structure(smtp_server: tuple[RecordingHandler, SmtpTransport], ledger: Session) -> None:
    """The server receives the digest with its subject, a stable Message-ID and text + HTML parts."""
    handler, transport = smtp_server
    digest = one_story_digest()
    recipient = Recipient("analysts@example.org", "Defence analysts")
    report = deliver_digest(ledger, digest, [recipient], transport, MAIL_FROM)
    assert report.sent == ["analysts@example.org"]

    (message,) = handler.messages_to("analysts@example.org")
    assert message["Subject"] == "India–Italy defence: 1 event — 28 Feb 2026"
    assert message["From"] == MAIL_FROM
    assert message["Message-ID"] == message_id_for(digest.digest_id, "analysts@example.org")
    assert message["Message-ID"] == message_id_for(digest.digest_id, "ANALYSTS@example.org")
    assert message["Message-ID"] != message_id_for("india-italy-defence-2026-03-01", "analysts@example.org")
    assert message["X-Newswatch-Digest"] == digest.digest_id
    assert message.get_content_type() == "multipart/alternative"
    text_part, related = message.iter_parts()
    assert (text_part.get_content_type(), related.get_content_type()) == ("text/plain", "multipart/related")
    html_part, chart_part = related.iter_parts()
    assert html_part.get_content_type() == "text/html"
    text, html = text_part.get_content(), html_part.get_content()
    assert "Indian, Italian defence firms sign five MoUs in Rome" in text
    assert "https://ians.example/news/1" in text
    assert '<a href="https://ians.example/news/1"' in html

    # The chart travels inline, referenced by its Content-ID, with alt text; the text part has the numbers.
    assert chart_part.get_content_type() == "image/png"
    assert chart_part.get_content_disposition() == "inline"
    png = chart_part.get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1_000
    cid = chart_part["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html
    assert 'alt="Bar chart of relevant events per day, 2026-01-30 to 2026-02-28: 1 in 30 days, 0 on 2026-02-28' in html
    assert "2026-02-27: 1" in text

    row = ledger_rows(ledger, digest.digest_id)["analysts@example.org"]
    assert (row.status, row.channel, row.message_id) == ("sent", "smtp", message["Message-ID"])
    assert row.sent_at is not None and row.sent_at.tzinfo is UTC


def test_smtp_refusal_then_retry_delivers_exactly_once(
    smtp_server: tuple[RecordingHandler, SmtpTransport], ledger: Session
) -> None:
    """A 451 on the first attempt fails that recipient only; the retry sends it once; no one gets two."""
    handler, transport = smtp_server
    handler.refuse = 1
    digest = one_story_digest()
    first, second = "analysts@example.org", "desk@example.org"
    recipients = [Recipient(first), Recipient(second)]

    report = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
    assert list(report.failed) == [first]
    assert "try again" in report.failed[first]
    assert report.sent == [second]
    rows = ledger_rows(ledger, digest.digest_id)
    assert rows[first].status == "failed"
    assert rows[first].error is not None and "451" in rows[first].error
    assert rows[first].sent_at is None
    assert rows[second].status == "sent"
    failed_message_id = rows[first].message_id

    retry = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
    assert retry.sent == [first] and retry.skipped == [second] and retry.failed == {}
    rows = ledger_rows(ledger, digest.digest_id)
    assert {r.status for r in rows.values()} == {"sent"}
    assert rows[first].error is None
    assert rows[first].message_id == failed_message_id

    third = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
    assert third.sent == [] and sorted(third.skipped) == sorted([first, second])
    assert handler.refused == 1
    assert len(handler.messages_to(first)) == 1
    assert len(handler.messages_to(second)) == 1
    assert len(handler.received) == 2
    assert handler.messages_to(first)[0]["Message-ID"] == failed_message_id


def test_address_in_two_groups_is_sent_once(
    smtp_server: tuple[RecordingHandler, SmtpTransport], ledger: Session
) -> None:
    """One address that belongs to two recipient groups still receives one copy of a digest."""
    handler, transport = smtp_server
    digest = one_story_digest()
    recipients = [
        Recipient("analyst@example.org", group="analysts"),
        Recipient("analyst@example.org", group="industry-desk", min_score=0.7, topics=("industrial-cooperation",)),
    ]
    report = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
    assert report.sent == ["analyst@example.org"]
    assert len(handler.messages_to("analyst@example.org")) == 1


def test_immediate_alert_goes_out_once_per_event(
    engine: Engine, ledger: Session, smtp_server: tuple[RecordingHandler, SmtpTransport]
) -> None:
    """The alert of an event is named by the event: when a later report of it arrives (here the Italian
    ministry's, after PIB's), the next run finds the same alert in the ledger and mails no one again; a
    group that could not read the first report (Italian only) gets the event once, in Italian."""
    handler, transport = smtp_server
    end = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    since = end - timedelta(days=2)
    recipients = [
        Recipient("analysts@example.org"),
        Recipient("desk@example.org", min_score=0.9),
        Recipient("rome@example.org", languages=("it",)),
    ]

    def run(*articles: Article) -> tuple[list[Digest], list[list[str]]]:
        with Session(engine) as session:
            load.upsert_sources(session, SOURCES)
            load.upsert_articles(session, list(articles))
            session.commit()
            alerts = select_immediate_alerts(session, 0.9, since, end)
        return alerts, [
            deliver_digest(ledger, a, recipients, transport, MAIL_FROM, send_empty=False).sent for a in alerts
        ]

    pib = stored_article("tabar", "pib", "k-pib", 0.93, end - timedelta(hours=6), event=PORT_CALL)
    alerts, sent = run(pib)
    assert [a.digest_id for a in alerts] == [f"alert-{PORT_CALL}"] and len(alerts[0].digest_id) <= 64
    assert sent == [["analysts@example.org", "desk@example.org"]]  # nothing in Italian yet for Rome

    difesa = stored_article(
        "tabar-it", "difesa", "k-difesa", 0.81, end - timedelta(hours=1), language="it", event=PORT_CALL
    )
    alerts, sent = run(difesa)
    (alert,) = alerts
    assert alert.digest_id == f"alert-{PORT_CALL}" and alert.stories[0].outlets == 2
    assert sent == [["rome@example.org"]], "the new report alerts no one who had the event already"
    (rome,) = handler.messages_to("rome@example.org")
    assert rome["Subject"] == "India–Italy defence alert: Indian, Italian firms sign MoUs (difesa)"

    alerts, sent = run(
        stored_article("tabar-copy", "menafn", "k-pib", 0.95, end - timedelta(minutes=30), event=PORT_CALL)
    )
    assert [a.digest_id for a in alerts] == [f"alert-{PORT_CALL}"] and sent == [[]]
    assert len(handler.received) == 3
    assert set(ledger_rows(ledger, f"alert-{PORT_CALL}")) == {
        "analysts@example.org",
        "desk@example.org",
        "rome@example.org",
    }


# --- a batch of mails: one chart, one connection, TLS only for TLS ---------------------------------------


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[Any, ...]]:
    """The calls of ``owner.name`` from now on (their arguments); each still runs the real function."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def spying(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spying)
    return calls


@pytest.fixture
def cold_caches() -> Iterator[None]:
    """No chart drawn and no TLS context built yet in this process, and none left behind (the TLS
    tests' context trusts only their own certificate)."""
    chart.cached_chart_png.cache_clear()
    tls_context.cache_clear()
    yield
    chart.cached_chart_png.cache_clear()
    tls_context.cache_clear()


def several_recipients() -> list[Recipient]:
    """Three recipients whose copies differ (one filters by topic) but whose chart is the same."""
    return [
        Recipient("analysts@example.org", "Defence analysts"),
        Recipient("desk@example.org", topics=("industrial-cooperation",)),
        Recipient("rome@example.org"),
    ]


def test_digest_to_several_recipients_draws_one_chart_over_one_connection_without_tls(
    ledger: Session, monkeypatch: pytest.MonkeyPatch, cold_caches: None
) -> None:
    """A digest to three recipients draws its chart once, sends the three mails over one SMTP
    connection, and, the connection being plain SMTP, builds no TLS context; a re-run that has
    nothing to send opens no connection at all."""
    charts = spy(monkeypatch, chart, "render_chart_png")
    contexts = spy(monkeypatch, ssl, "create_default_context")
    handler = RecordingHandler()
    recipients = several_recipients()
    with mailsink.smtp_server(handler) as server:
        transport = SmtpTransport(host="127.0.0.1", port=server.port, timeout_s=5.0)
        digest = one_story_digest()
        report = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
        assert report.sent == [r.email for r in recipients] and not report.failed
        assert server.connections == 1
        again = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
        assert again.sent == [] and server.connections == 1
    assert len(charts) == 1, "the chart was drawn for each recipient"
    assert contexts == [], "a TLS context was built for plain SMTP"
    pngs = {
        part.get_content()
        for r in recipients
        for message in handler.messages_to(r.email)
        for part in message.walk()
        if part.get_content_type() == "image/png"
    }
    assert len(handler.received) == 3 and len(pngs) == 1
    assert handler.tls == [False, False, False]


def test_smtp_connection_sends_without_waiting_for_acks(smtp_server: tuple[RecordingHandler, SmtpTransport]) -> None:
    """The client socket has Nagle off: a message that leaves in several writes (TLS records) is not held
    back for the server's delayed ACK on a connection kept for a batch."""
    _handler, transport = smtp_server
    smtp = transport.connect()
    try:
        assert smtp.sock is not None and smtp.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        smtp.quit()


@dataclass
class HangingUpHandler(RecordingHandler):
    """Hangs up on the client at the ``at``-th message: ``how="idle"`` just after accepting it (the next
    message finds the connection gone, as after a server's idle timeout or restart), ``how="data"``
    instead of answering its DATA (the message is dropped, and the client cannot know it was)."""

    at: int = 2
    how: str = "idle"
    seen: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.seen == self.at and self.how == "data":
            server.transport.close()
            return "250 OK"  # never reaches the client: the connection is closed
        status = await super().handle_DATA(server, session, envelope)
        if self.seen == self.at and self.how == "idle":
            server.loop.call_soon(server.transport.close)  # once the reply is on its way
        return status


def test_connection_lost_between_mails_reconnects_and_sends_each_once(ledger: Session) -> None:
    """The server hangs up after the second of four mails: the third finds the connection gone before
    anything of it was sent, so it goes out on a new connection; everyone gets one mail in one run."""
    handler = HangingUpHandler(at=2, how="idle")
    recipients = [Recipient(f"r{n}@example.org") for n in range(4)]
    digest = one_story_digest()
    with mailsink.smtp_server(handler) as server:
        transport = SmtpTransport(host="127.0.0.1", port=server.port, timeout_s=5.0)
        report = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
        assert server.connections == 2
    assert report.sent == [r.email for r in recipients] and report.failed == {}
    assert [len(handler.messages_to(r.email)) for r in recipients] == [1, 1, 1, 1]
    assert {row.status for row in ledger_rows(ledger, digest.digest_id).values()} == {"sent"}


def test_connection_lost_during_data_fails_that_mail_only_and_the_rerun_sends_it_once(ledger: Session) -> None:
    """The server hangs up instead of answering the second mail's DATA: that mail may have reached it,
    so it is not sent again in this run but marked failed; the others go out (the rest on a new
    connection); the re-run sends the failed one alone, and everyone has exactly one mail."""
    handler = HangingUpHandler(at=2, how="data")
    recipients = [Recipient(f"r{n}@example.org") for n in range(4)]
    digest = one_story_digest()
    with mailsink.smtp_server(handler) as server:
        transport = SmtpTransport(host="127.0.0.1", port=server.port, timeout_s=5.0)
        report = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
        assert list(report.failed) == ["r1@example.org"]
        assert report.sent == ["r0@example.org", "r2@example.org", "r3@example.org"]
        assert server.connections == 2
        rows = ledger_rows(ledger, digest.digest_id)
        assert rows["r1@example.org"].status == "failed" and "SMTPServerDisconnected" in str(
            rows["r1@example.org"].error
        )
        assert rows["r1@example.org"].sent_at is None

        rerun = deliver_digest(ledger, digest, recipients, transport, MAIL_FROM)
        assert rerun.sent == ["r1@example.org"] and len(rerun.skipped) == 3 and not rerun.failed
        assert server.connections == 3
    assert [len(handler.messages_to(r.email)) for r in recipients] == [1, 1, 1, 1]
    assert {row.status for row in ledger_rows(ledger, digest.digest_id).values()} == {"sent"}


@pytest.mark.parametrize("mode", ["starttls", "implicit-tls"])
def test_tls_batches_build_one_context_and_send_everything_over_tls(
    mode: str, tmp_path: Path, ledger: Session, monkeypatch: pytest.MonkeyPatch, cold_caches: None
) -> None:
    """Over STARTTLS or implicit TLS (a server with its own certificate, which the client trusts
    through SSL_CERT_FILE and checks against 127.0.0.1), two digests go out over one connection each,
    every mail encrypted, and the client's TLS context is built once for both."""
    server_context, certificate = self_signed_tls(tmp_path / "tls")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    handler = RecordingHandler()
    tls = {"starttls": server_context} if mode == "starttls" else {"tls": server_context}
    recipients = several_recipients()
    first = one_story_digest()
    second = dataclasses.replace(first, digest_id="india-italy-defence-2026-03-01")
    with mailsink.smtp_server(handler, **tls) as server:
        contexts = spy(monkeypatch, ssl, "create_default_context")  # the server's own are made by now
        transport = SmtpTransport(
            host="127.0.0.1", port=server.port, starttls=mode == "starttls", use_ssl=mode != "starttls", timeout_s=5
        )
        reports = [deliver_digest(ledger, d, recipients, transport, MAIL_FROM) for d in (first, second)]
        assert server.connections == 2
    assert [r.sent for r in reports] == [[r.email for r in recipients]] * 2
    assert len(contexts) == 1
    assert handler.tls == [True] * 6


def test_a_server_without_starttls_gets_nothing_in_clear(ledger: Session, cold_caches: None) -> None:
    """A transport set for STARTTLS never falls back to plain text: against a server that does not offer
    it every mail fails, recorded as failed, and none is sent."""
    handler = RecordingHandler()
    with mailsink.smtp_server(handler) as server:
        transport = SmtpTransport(host="127.0.0.1", port=server.port, starttls=True, timeout_s=5)
        report = deliver_digest(ledger, one_story_digest(), several_recipients(), transport, MAIL_FROM)
    assert report.sent == [] and len(report.failed) == 3
    assert all("STARTTLS" in error for error in report.failed.values())
    assert handler.received == []
