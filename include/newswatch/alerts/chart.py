"""The digest's chart: relevant events per day over the last 30 days, as a small PNG.

Mail clients block remote images and strip scripts, so the chart is a plain PNG embedded in the
message by Content-ID. Rendering is deterministic (no timestamp or software tag in the file) so the
same counts give the same bytes, which keeps resent messages identical.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Sequence
from datetime import date

LOGGER = logging.getLogger(__name__)

WIDTH_IN, HEIGHT_IN, DPI = 6.0, 1.6, 100  # 600 × 160 px: sharp enough, ~10 KB
BAR = "#9fb6d3"
TODAY_BAR = "#0b4f9c"
INK = "#5b6573"


def chart_alt_text(days: list[tuple[str, int]]) -> str:
    """The chart in words, for screen readers and for clients that do not show images."""
    if not days:
        return "No chart data."
    total = sum(count for _day, count in days)
    busiest_day, busiest = max(days, key=lambda d: (d[1], d[0]))
    today_day, today = days[-1]
    text = (
        f"Bar chart of relevant events per day, {days[0][0]} to {today_day}: "
        f"{total} in {len(days)} days, {today} on {today_day} (the last bar, highlighted)"
    )
    if busiest:
        text += f"; busiest day {busiest_day} with {busiest}"
    return text + "."


def chart_png_for(days: Sequence[tuple[str, int]]) -> bytes:
    """The chart of ``days``, drawn once per process for the same counts: a digest's copies and a cycle's
    alerts share the day's counts, so they share one PNG (matplotlib takes tens of ms a chart)."""
    return cached_chart_png(tuple((day, count) for day, count in days))


@functools.lru_cache(maxsize=16)  # keyed by the counts' content, not the list's identity; ~10 KB a chart
def cached_chart_png(days: tuple[tuple[str, int], ...]) -> bytes:
    return render_chart_png(list(days))


def render_chart_png(days: list[tuple[str, int]]) -> bytes:
    """A bar per day (oldest first), the last bar (the digest's day) in the accent colour."""
    import matplotlib

    matplotlib.use("Agg", force=False)  # no display here, and the default backend may want one
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    counts = [count for _day, count in days]
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.add_axes((0.06, 0.2, 0.92, 0.62))
    colours = [BAR] * len(days)
    if colours:
        colours[-1] = TODAY_BAR
    axes.bar(range(len(days)), counts, color=colours, width=0.75)
    axes.set_ylim(0, max([*counts, 1]) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color("#c9d3e0")
    axes.tick_params(colors=INK, labelsize=8, length=0)
    ticks = [i for i in range(len(days)) if i % 7 == (len(days) - 1) % 7]
    axes.set_xticks(ticks, [_short_day(days[i][0]) for i in ticks])
    if days:
        axes.annotate(
            str(counts[-1]),
            (len(days) - 1, counts[-1]),
            textcoords="offset points",
            xytext=(0, 2),
            ha="center",
            fontsize=8,
            color=TODAY_BAR,
        )
    figure.text(0.06, 0.9, "Relevant events per day, last 30 days", fontsize=9, color=INK)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _short_day(iso_day: str) -> str:
    day = date.fromisoformat(iso_day)
    return f"{day.day} {day:%b}"
