"""Deliver a digest exactly once per recipient: MIME building, SMTP or outbox transport, and the ledger.

The ledger (``alert_deliveries``) has one row per digest and recipient. A recipient whose row says
``sent`` is skipped, so re-running a DAG run sends nothing twice; after a failure midway, the retry
sends only to those not yet served.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from newswatch.alerts.render import CHART_CID, RenderedDigest, render_digest
from newswatch.alerts.select import Digest
from newswatch.config import Recipient
from newswatch.warehouse.load import upsert
from newswatch.warehouse.schema import AlertDeliveryRow

LOGGER = logging.getLogger(__name__)

SLUG_RE = re.compile(r"[^a-z0-9]+")


class Transport(Protocol):
    """Sends one message; raises on failure."""

    @property
    def channel(self) -> str: ...

    def send(self, message: EmailMessage, recipient: str) -> None: ...


@dataclass(frozen=True)
class SmtpTransport:
    """SMTP with STARTTLS or implicit TLS and optional login (settings from an Airflow connection)."""

    host: str
    port: int = 25
    login: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    timeout_s: float = 30.0
    channel: str = "smtp"

    def send(self, message: EmailMessage, recipient: str) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        with smtp:
            if self.starttls:
                smtp.starttls(context=context)
            if self.login:
                smtp.login(self.login, self.password or "")
            smtp.send_message(message, to_addrs=[recipient])


@dataclass(frozen=True)
class OutboxTransport:
    """Writes each message as ``.eml`` (and its HTML part as ``.html``) into a folder."""

    folder: Path
    channel: str = "outbox"

    def send(self, message: EmailMessage, recipient: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{message['X-Newswatch-Digest']}__{SLUG_RE.sub('-', recipient.lower()).strip('-')}"
        (self.folder / f"{stem}.eml").write_bytes(bytes(message))
        html = message.get_body(("html",))
        if html is None:
            return
        page = html.get_content()
        for part in message.walk():  # the inline images, beside the page, so a browser shows it whole
            cid = str(part.get("Content-ID", "")).strip("<>")
            if cid and part.get_content_maintype() == "image":
                image = f"{stem}.{part.get_content_subtype()}"
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    (self.folder / image).write_bytes(payload)
                page = page.replace(f"cid:{cid}", image)
        (self.folder / f"{stem}.html").write_text(page, encoding="utf-8")


def message_id_for(digest_id: str, recipient: str) -> str:
    """Stable per digest and recipient, so a resend (if one ever happens) threads as the same mail."""
    token = hashlib.sha256(f"{digest_id}|{recipient.lower()}".encode()).hexdigest()[:20]
    return f"<{digest_id}.{token}@newswatch>"


def build_message(rendered: RenderedDigest, digest: Digest, recipient: Recipient, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = mail_from
    message["To"] = formataddr((recipient.name, recipient.email)) if recipient.name else recipient.email
    message["Date"] = format_datetime(digest.window_end)
    message["Message-ID"] = message_id_for(digest.digest_id, recipient.email)
    message["X-Newswatch-Digest"] = digest.digest_id
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    # multipart/alternative → [text, multipart/related → [html, chart]]: the chart travels with the
    # HTML part, so clients that show the text part do not list it as an attachment.
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)  # the part add_alternative just made
    html_part.add_related(
        rendered.chart_png, "image", "png", cid=f"<{CHART_CID}>", disposition="inline", filename="chart.png"
    )
    return message


@dataclass
class DeliveryReport:
    sent: list[str]
    skipped: list[str]
    failed: dict[str, str]


def already_sent(session: Session, digest_id: str) -> set[str]:
    rows = session.scalars(
        select(AlertDeliveryRow.recipient).where(
            AlertDeliveryRow.digest_id == digest_id, AlertDeliveryRow.status == "sent"
        )
    )
    return {r.lower() for r in rows}


def _ledger(session: Session, row: dict[str, object]) -> None:
    upsert(
        session,
        AlertDeliveryRow.__table__,  # type: ignore[arg-type]
        [row],
        ["digest_id", "recipient"],
        [c for c in row if c not in ("digest_id", "recipient")],
    )
    session.commit()


def deliver_digest(
    session: Session,
    digest: Digest,
    recipients: list[Recipient],
    transport: Transport,
    mail_from: str,
    send_empty: bool = True,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> DeliveryReport:
    """Send ``digest`` to each recipient not yet served; record every attempt in the ledger.

    The ledger row is committed before and after each send, so a crash between the two leaves a
    ``sending`` row: that recipient is retried (at-least-once at the transport, once in the ledger).
    ``session`` must not be inside ``session.begin()``: each ledger write commits on its own.
    """
    report = DeliveryReport([], [], {})
    done = already_sent(session, digest.digest_id)
    chart_png: bytes | None = None  # the same for every recipient: rendered once, when first needed
    for recipient in recipients:
        # An address in two groups is served once, with the first group's filters.
        if recipient.email.lower() in done:
            report.skipped.append(recipient.email)
            continue
        done.add(recipient.email.lower())
        personal = digest.for_recipient(recipient)
        if not personal.stories and not send_empty:
            report.skipped.append(recipient.email)
            continue
        rendered = render_digest(personal, chart_png=chart_png)
        chart_png = rendered.chart_png
        message = build_message(rendered, personal, recipient, mail_from)
        row: dict[str, object] = {
            "digest_id": digest.digest_id,
            "recipient": recipient.email,
            "article_ids": personal.article_ids,
            "status": "sending",
            "channel": transport.channel,
            "attempted_at": clock(),
            "sent_at": None,
            "message_id": message["Message-ID"],
            "error": None,
        }
        _ledger(session, row)
        try:
            transport.send(message, recipient.email)
        except (OSError, smtplib.SMTPException) as exc:
            LOGGER.warning("sending %s to %s failed: %s", digest.digest_id, recipient.email, exc)
            _ledger(session, {**row, "status": "failed", "error": f"{type(exc).__name__}: {exc}"[:1000]})
            report.failed[recipient.email] = str(exc)
            continue
        _ledger(session, {**row, "status": "sent", "sent_at": clock()})
        report.sent.append(recipient.email)
    LOGGER.info(
        "digest %s: sent %d, skipped %d, failed %d",
        digest.digest_id,
        len(report.sent),
        len(report.skipped),
        len(report.failed),
    )
    return report
