"""Which worker ran a task, when several Celery workers share one machine (the `make cluster` profile).

Airflow records on every task instance the ``hostname`` of the worker that ran it, from the callable
named by ``[core] hostname_callable``. Two workers on one machine share its host name, so
``scripts/cluster.sh`` gives each worker its Celery node name (``worker1@host``) in
``NEWSWATCH_WORKER_HOSTNAME`` and points ``hostname_callable`` here. Workers on separate machines or
pods need neither: the default (the machine's name) already tells them apart.
"""

from __future__ import annotations

import os
import socket


def worker_hostname() -> str:
    """``NEWSWATCH_WORKER_HOSTNAME`` when set, else the machine's fully qualified name."""
    return os.environ.get("NEWSWATCH_WORKER_HOSTNAME") or socket.getfqdn()
