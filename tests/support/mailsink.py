"""A local SMTP server that keeps what it receives: for the demo and the tests, never for production.

It is a real SMTP server (aiosmtpd) on 127.0.0.1, so a digest delivered to it has gone through the same
SMTP code path, the same Airflow connection handling and the same MIME serialisation as a real one.
Every message is saved as ``NNN.eml`` in a folder as it arrives.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

LOGGER = logging.getLogger(__name__)


class _SavingHandler:
    """aiosmtpd handler: one ``.eml`` per message and recipient, numbered in arrival order."""

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailSink:
    """``with MailSink(folder) as sink:`` runs an SMTP server on 127.0.0.1:``sink.port``."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or free_port()
        self._handler = _SavingHandler(folder)
        self._controller: Any = None

    def __enter__(self) -> MailSink:
        from aiosmtpd.controller import Controller

        self.folder.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

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
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]
