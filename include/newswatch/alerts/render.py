"""Render a digest as a subject line, a plain-text part and an HTML part (Jinja2, autoescaped).

Everything in a digest came from untrusted feeds and pages, so the HTML template is autoescaped and
links are only ever http(s).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from newswatch.alerts.chart import chart_alt_text, chart_png_for
from newswatch.alerts.select import IST, ROME, Digest, chart_days
from newswatch.config import TEMPLATES_DIR

LOGGER = logging.getLogger(__name__)


CHART_CID = "daily-chart@newswatch"  # unique within a message, which is all a Content-ID must be


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str  # refers to the chart as ``cid:CHART_CID`` unless rendered with another ``chart_src``
    chart_png: bytes
    chart_alt: str


def safe_url(url: str) -> str:
    """The URL if it is http(s), else "#": a feed cannot smuggle a javascript: link into the mail."""
    return url if urlsplit(url).scheme in ("http", "https") else "#"


def signed_weight(weight: float) -> str:
    """A contribution's weight as analysts read it: ``+3.1``, ``−0.8`` (a typographic minus, as wide as
    the plus); two decimals where one would round a real pull to ``0.0``."""
    shown = f"{weight:+.1f}"
    if weight and shown[1:] == "0.0":
        shown = f"{weight:+.2f}"
    return shown.replace("-", "\N{MINUS SIGN}")


@functools.cache
def environment(templates_dir: Path) -> Environment:
    """The Jinja environment of ``templates_dir``: one per process, so each template is compiled once
    (Jinja keeps the compiled templates in the environment and recompiles one only if its file changed)."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["signed_weight"] = signed_weight
    env.filters["events"] = events
    env.filters["outlets"] = outlets
    return env


def events(count: int) -> str:
    """``1 event``, ``3 events``: what the subject and the mail's heading count (one entry per event)."""
    return f"{count} event" if count == 1 else f"{count} events"


def outlets(count: int) -> str:
    return f"{count} outlet" if count == 1 else f"{count} outlets"


def sources_out(down: int, late: int) -> str:
    """``3 sources down``, ``1 source late``, ``1 source down, 2 late``: what the subject of an
    incomplete digest says; "" when every source was read."""
    if not down and not late:
        return ""
    first, state = (down, "down") if down else (late, "late")
    said = f"{first} source{'s' if first != 1 else ''} {state}"
    return f"{said}, {late} late" if down and late else said


def subject_for(digest: Digest) -> str:
    """``India–Italy defence: 9 events — 28 Feb 2026``; ``India–Italy defence: 0 events (3 sources
    down) — 28 Feb 2026`` when sources were down or late over the window: the digest may be incomplete."""
    if digest.alert and digest.stories:
        return f"India–Italy defence alert: {digest.stories[0].lead.title}"[:200]
    out = sources_out(digest.sources_down, digest.sources_late)
    return f"India–Italy defence: {events(len(digest.stories))}{f' ({out})' if out else ''} — {digest.day}"


def render_digest(
    digest: Digest,
    templates_dir: Path = TEMPLATES_DIR,
    chart_png: bytes | None = None,
    chart_src: str = f"cid:{CHART_CID}",
) -> RenderedDigest:
    """Subject, plain text and HTML of ``digest``; the chart is ``chart_png`` if given, else the day's
    chart (it depends on the counts, not the recipient: drawn once for them all, see chart_png_for)."""
    env = environment(templates_dir)
    chart = chart_days(digest)
    alt = chart_alt_text(chart)
    context = {
        "digest": digest,
        "subject": subject_for(digest),
        "chart": chart,
        "chart_src": chart_src,
        "chart_alt": alt,
        "ist": IST,
        "rome": ROME,
    }
    return RenderedDigest(
        subject=subject_for(digest),
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
        chart_png=chart_png_for(chart) if chart_png is None else chart_png,
        chart_alt=alt,
    )
