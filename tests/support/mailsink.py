"""A local SMTP server that keeps what it receives: for the demo and the tests, never for production.

It is a real SMTP server (aiosmtpd) on 127.0.0.1, so a digest delivered to it has gone through the same
SMTP code path, the same Airflow connection handling and the same MIME serialisation as a real one.
Every message is saved as ``NNN.eml`` in a folder as it arrives. :func:`smtp_server` (and
:func:`serve_smtp`, which yields just the port) runs any aiosmtpd handler the same way (the tests'
recording and refusing servers), counts the connections clients open, and offers STARTTLS or implicit
TLS with a certificate from :func:`self_signed_tls`.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.support.net import free_port

LOGGER = logging.getLogger(__name__)


@dataclass
class SmtpServer:
    """A running :func:`smtp_server`: its port, and how many connections clients have opened to it."""

    port: int
    _opened: Callable[[], int]
    _before: int = 0

    @property
    def connections(self) -> int:
        """TCP connections accepted since the server came up (a STARTTLS upgrade is the same one)."""
        return self._opened() - self._before


@contextmanager
def smtp_server(
    handler: Any, port: int | None = None, starttls: ssl.SSLContext | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 answering through ``handler``.

    ``starttls``: a server TLS context, STARTTLS offered with it; ``tls``: implicit TLS (SMTPS) with it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class CountingController(Controller):
        opened = 0

        def factory(self) -> SMTP:  # asyncio makes one protocol, so calls this once, per connection
            self.opened += 1
            return super().factory()  # type: ignore[no-any-return]

    kwargs: dict[str, Any] = {"tls_context": starttls} if starttls is not None else {}
    controller = CountingController(handler, hostname="127.0.0.1", port=port or free_port(), ssl_context=tls, **kwargs)
    controller.start()  # which connects once itself, to see the server up
    try:
        yield SmtpServer(int(controller.port), lambda: controller.opened, controller.opened)
    finally:
        controller.stop()


@contextmanager
def serve_smtp(handler: Any, port: int | None = None) -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 answering through ``handler``; yields its port."""
    with smtp_server(handler, port) as server:
        yield server.port


class SavingHandler:
    """aiosmtpd handler: one ``.eml`` per message and recipient in ``folder``, numbered in arrival order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.count += 1
                (self.folder / f"{self.count:03d}.eml").write_bytes(bytes(data))
                LOGGER.info("mail sink: message %d for %s", self.count, recipient)
        return "250 Message accepted for delivery"


def saved_messages(folder: Path) -> list[EmailMessage]:
    """The messages saved in ``folder``, in arrival order."""
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(folder.glob("*.eml"))]


class MailSink:
    """``with MailSink(folder) as sink:`` runs an SMTP server on 127.0.0.1:``sink.port``.

    ``handler``: the aiosmtpd handler, by default a :class:`SavingHandler` on ``folder``; another one
    (a server refusing some sessions, say) should save into ``folder`` the same way."""

    def __init__(self, folder: Path, port: int | None = None, handler: SavingHandler | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.handler = handler or SavingHandler(folder)
        self._running = ExitStack()
        self._server: SmtpServer | None = None

    def __enter__(self) -> MailSink:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._server = self._running.enter_context(smtp_server(self.handler, self.port))
        return self

    @property
    def connections(self) -> int:
        """The SMTP connections clients opened while the sink ran (the last time it ran)."""
        return self._server.connections if self._server is not None else 0

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._running.close()

    @property
    def airflow_connection(self) -> str:
        """The value for ``AIRFLOW_CONN_SMTP_DEFAULT``: plain SMTP, no TLS (it is loopback only)."""
        return json.dumps(
            {
                "conn_type": "smtp",
                "host": "127.0.0.1",
                "port": self.port,
                "extra": {"disable_ssl": True, "disable_tls": True, "timeout": 10},
            }
        )

    def messages(self) -> list[EmailMessage]:
        """The messages received so far, in arrival order."""
        return saved_messages(self.folder)


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1 and localhost, and the
    certificate's file: a client trusts the server by trusting that file (``SSL_CERT_FILE``)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "newswatch test SMTP")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file
