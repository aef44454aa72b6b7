"""The wire dateline as the last source of a publication day: "Rome, Feb 27 (IANS)" has no year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newswatch.clean import clean_article_text, dateline_day, day_from_dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MENAFN - IANS) Rome, Feb 27 (IANS) India and Italy met on Friday.", (2, 27)),
        ("New Delhi [India], February 3 (ANI): The ministry said.", (2, 3)),
        ("ROMA, 27 FEB - Si è svolto oggi un incontro.", (2, 27)),
        ("(ANSA) - ROME, DEC 9 - Italy said.", (12, 9)),
        ("Mumbai, Aug 15 (PTI) The Navy said.", (8, 15)),
    ],
)
def test_clean_keeps_the_datelines_day(text: str, expected: tuple[int, int]) -> None:
    assert clean_article_text(text).dateline_day == expected


def test_no_dateline_no_day() -> None:
    assert clean_article_text("India and Italy met in Rome on Friday.").dateline_day is None
    assert dateline_day("no date here") is None


def test_the_year_is_the_one_before_first_seen() -> None:
    """A 31 Dec dateline first seen on 2 Jan belongs to the year before; a leap day only to leap years."""
    assert day_from_dateline((2, 27), datetime(2026, 2, 28, 1, tzinfo=UTC)) == datetime(2026, 2, 27, tzinfo=UTC)
    assert day_from_dateline((12, 31), datetime(2026, 1, 2, tzinfo=UTC)) == datetime(2025, 12, 31, tzinfo=UTC)
    assert day_from_dateline((2, 29), datetime(2028, 3, 1, tzinfo=UTC)) == datetime(2028, 2, 29, tzinfo=UTC)
    assert day_from_dateline((2, 29), datetime(2026, 3, 1, tzinfo=UTC)) is None
