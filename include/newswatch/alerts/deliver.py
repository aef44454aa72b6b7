"""Deliver a digest exactly once per recipient: MIME building, SMTP or outbox transport, and the ledger.

The ledger (``alert_deliveries``) has one row per digest and recipient. A recipient whose row says
``sent`` is skipped, so re-running a DAG run sends nothing twice; after a failure midway, the retry
sends only to those not yet served.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Protocol

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


@contextmanager
def batch(transport: Transport) -> Iterator[Transport]:
    """``transport`` for a batch of mails: its ``batch()`` if it has one (SMTP: one connection for them
    all), else the transport itself. Nested batches share the outer one's connection."""
    opener: Callable[[], AbstractContextManager[Transport]] | None = getattr(transport, "batch", None)
    if opener is None:
        yield transport
        return
    with opener() as sender:
        yield sender


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The client TLS context (system CAs, hostname checked): built once per process, and only when a
    transport uses TLS (loading the CA store takes tens of milliseconds)."""
    return ssl.create_default_context()


class _Staged(smtplib.SMTP):
    """smtplib's client, remembering whether the current message got as far as DATA: a connection lost
    before DATA cannot have delivered it, so it is safe to send again on a new connection."""

    data_started = False

    def mail(self, sender: str, options: Sequence[str] = ()) -> tuple[int, bytes]:
        self.data_started = False
        return super().mail(sender, options)

    def data(self, msg: Any) -> tuple[int, bytes]:  # smtplib: a buffer or str
        self.data_started = True
        return super().data(msg)


class _StagedSSL(_Staged, smtplib.SMTP_SSL):
    """The same over implicit TLS (port 465)."""


# Errors after which the connection is gone or in an unknown state: drop it, open a new one next time.
# (smtplib's replies with a code, SMTPResponseException and SMTPRecipientsRefused, leave it usable, or
# closed by smtplib itself after a 421.)
CONNECTION_LOST = (smtplib.SMTPServerDisconnected, ConnectionError)


@dataclass(frozen=True)
class SmtpTransport:
    """SMTP with STARTTLS or implicit TLS and optional login (settings from an Airflow connection).

    ``send`` sends one message on a connection of its own; ``batch()`` keeps one connection open for a
    batch of messages (a digest's recipients, a cycle's alerts)."""

    host: str
    port: int = 25
    login: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    timeout_s: float = 30.0
    channel: str = "smtp"

    def send(self, message: EmailMessage, recipient: str) -> None:
        with self.batch() as sender:
            sender.send(message, recipient)

    @contextmanager
    def batch(self) -> Iterator[SmtpBatch]:
        connection = SmtpBatch(self)
        try:
            yield connection
        finally:
            connection.close()

    def connect(self) -> _Staged:
        """A new connection, through TLS if configured and logged in if configured."""
        smtp: _Staged
        if self.use_ssl:
            smtp = _StagedSSL(self.host, self.port, timeout=self.timeout_s, context=tls_context())
        else:
            smtp = _Staged(self.host, self.port, timeout=self.timeout_s)
        try:
            # smtplib writes each command and the message whole; over TLS the message leaves as several
            # records, and Nagle would hold the last one for the server's delayed ACK (~40 ms a mail on a
            # kept connection).
            if smtp.sock is not None:  # connected by the constructor
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.starttls:
                smtp.starttls(context=tls_context())
            if self.login:
                smtp.login(self.login, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


class SmtpBatch:
    """One SMTP connection for a batch of messages, opened at the first and kept between them.

    A message the server refuses (a reply code) fails alone and the connection carries on (smtplib
    closes it after a 421; the next message opens a new one). When a connection kept from an earlier
    message turns out to be lost before this message reached DATA (the server timed it out, restarted),
    the message cannot have been delivered, so it is sent once more on a new connection; lost at or
    after DATA it fails, as the server may have it (the ledger's retry decides). ``connections`` counts
    the connections opened."""

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self.connections = 0
        self._smtp: _Staged | None = None

    @property
    def channel(self) -> str:
        return self.transport.channel

    def batch(self) -> AbstractContextManager[SmtpBatch]:
        return nullcontext(self)

    def send(self, message: EmailMessage, recipient: str) -> None:
        for attempt in (1, 2):
            smtp, reused = self._connection()
            try:
                smtp.send_message(message, to_addrs=[recipient])
                return
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
                raise  # refused by a server still there (smtplib closes the socket itself after a 421)
            except CONNECTION_LOST as exc:
                self._drop()
                if attempt == 2 or not reused or smtp.data_started:
                    raise
                LOGGER.info("SMTP connection lost before the message to %s was sent (%s): reconnecting", recipient, exc)
            except BaseException:
                self._drop()
                raise

    def _connection(self) -> tuple[_Staged, bool]:
        """The open connection and True, or a new one and False."""
        if self._smtp is not None and self._smtp.sock is not None:
            return self._smtp, True
        self._drop()
        self._smtp = self.transport.connect()
        self.connections += 1
        return self._smtp, False

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """QUIT, politely; a connection already gone is simply closed."""
        if self._smtp is not None and self._smtp.sock is not None:
            with suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
        self._drop()


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
    ``transport`` may be a batch already open (:func:`batch`): the alerts of one cycle share it.
    """
    report = DeliveryReport([], [], {})
    done = already_sent(session, digest.digest_id)
    with batch(transport) as sender:  # one SMTP connection for all recipients, opened at the first mail
        for recipient in recipients:
            # An address in two groups is served once, with the first group's filters.
            if recipient.email.lower() in done:
                report.skipped.append(recipient.email)
                continue
            done.add(recipient.email.lower())
            personal = digest.for_recipient(recipient)
            # empty_day: skip spares a quiet day's mail, not a blind day's: with sources down or late,
            # "no stories" may be no news of them, which the recipient must hear.
            if not personal.stories and not send_empty and not personal.incomplete:
                report.skipped.append(recipient.email)
                continue
            rendered = render_digest(personal)  # the chart is the day's, rendered once (chart_png_for)
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
                sender.send(message, recipient.email)
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
