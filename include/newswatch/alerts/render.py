"""Render a digest as a subject line, a plain-text part and an HTML part (Jinja2, autoescaped).

Everything in a digest came from untrusted feeds and pages, so the HTML template is autoescaped and
links are only ever http(s).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from newswatch.alerts.select import Digest, chart_days
from newswatch.config import TEMPLATES_DIR

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


def safe_url(url: str) -> str:
    """The URL if it is http(s), else "#": a feed cannot smuggle a javascript: link into the mail."""
    return url if urlsplit(url).scheme in ("http", "https") else "#"


def _environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def subject_for(digest: Digest) -> str:
    count = len(digest.stories)
    noun = "story" if count == 1 else "stories"
    return f"India–Italy defence: {count} {noun} — {digest.day}"


def render_digest(digest: Digest, templates_dir: Path = TEMPLATES_DIR) -> RenderedDigest:
    env = _environment(templates_dir)
    context = {"digest": digest, "subject": subject_for(digest), "chart": chart_days(digest)}
    return RenderedDigest(
        subject=subject_for(digest),
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
    )
