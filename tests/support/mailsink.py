"""A local SMTP server that keeps what it receives: for the demo and the tests, never for production.

It is a real SMTP server (aiosmtpd) on 127.0.0.1, so a digest delivered to it has gone through the same
SMTP code path, the same Airflow connection handling and the same MIME serialisation as a real one.
Every message is saved as ``NNN.eml`` in a folder as it arrives. :func:`serve_smtp` runs any aiosmtpd
handler the same way (the tests' recording and refusing servers).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.support.net import free_port

LOGGER = logging.getLogger(__name__)


@contextmanager
def serve_smtp(handler: Any, port: int | None = None) -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 answering through ``handler``; yields its port."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield int(controller.port)
    finally:
        controller.stop()


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

    def __enter__(self) -> MailSink:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._running.enter_context(serve_smtp(self.handler, self.port))
        return self

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
