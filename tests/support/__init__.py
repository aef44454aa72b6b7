"""Test doubles and helpers shared by the tests, the benchmarks and the demo (``scripts/demo.py``); one copy
of each. They are not part of the ``newswatch`` package; import them as ``tests.support.…`` with the
checkout root on ``sys.path`` (pytest's ``pythonpath`` setting, or ``python -m`` from the root). No test
module imports another test module, or conftest.py.

- ``httpserver``: the one test HTTP server (:class:`LocalServer`, with :class:`QuietHandler`'s send
  routine), conditional-GET answers, and :class:`DripServer` (a body a byte at a time);
- ``fixtureserver``: the fixture site's files served over HTTP, with hooks for hand-made answers;
- ``mailsink``: a real SMTP server (aiosmtpd) that keeps what it receives, ``smtp_server`` (and
  ``serve_smtp``) for any handler, counting connections, with STARTTLS or implicit TLS on a self-signed
  certificate (``self_signed_tls``);
- ``fixturesite``: where the fixture site is, its expectations and logical dates, the environment that
  points newswatch at it, and the warehouse checks after an ingest of it;
- ``services``: PostgreSQL (and other servers) present or the test skipped (failed under CI), private
  and scratch databases;
- ``cluster``: the Celery cluster profile (``scripts/cluster.sh``) around a test, and its REST API;
- ``faults``: the injected faults and their lost/duplicated counts (test_faults.py);
- ``browser``: headless Chromium for the rendering tests;
- ``net``: a free port on 127.0.0.1.
"""
