"""Ops notifications: a source that keeps failing is reported once, not at every poll."""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

LOGGER = logging.getLogger(__name__)


def feed_failing_message(
    source: str,
    feed_url: str,
    failures: int,
    last_error: str | None,
    last_success_at: datetime | None,
    observed_at: datetime,
    mail_from: str,
    to: str,
) -> EmailMessage:
    """The mail telling ops that ``source`` has failed ``failures`` polls in a row, and why."""
    message = EmailMessage()
    message["Subject"] = f"[newswatch] source {source} failing: {failures} polls in a row"
    message["From"] = mail_from
    message["To"] = to
    message["Date"] = format_datetime(observed_at)
    message["Message-ID"] = f"<feed-failing.{source}.{int(observed_at.timestamp())}@newswatch>"
    message["X-Newswatch-Digest"] = f"ops-feed-failing-{source}-{observed_at:%Y%m%dT%H%M%S}"
    last_ok = last_success_at.isoformat() if last_success_at else "never"
    message.set_content(
        f"The feed of source '{source}' has failed {failures} polls in a row.\n\n"
        f"Feed URL:      {feed_url}\n"
        f"Last error:    {last_error or '(none recorded)'}\n"
        f"Last success:  {last_ok}\n"
        f"Last attempt:  {observed_at.isoformat()}\n\n"
        "newswatch keeps polling it with exponential backoff (at least once a day) and will not mail\n"
        "again about it until it has recovered and failed again. See the feed_health table or the\n"
        "v_feed_health view, and the source.poll_source task logs in the newswatch_ingest DAG.\n"
    )
    return message
