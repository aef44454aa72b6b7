"""Test doubles shared by the tests, the benchmarks and the demo (``scripts/demo.py``): a file server for
fixture feeds and pages, and an SMTP server that keeps what it receives (aiosmtpd). They are not part of
the ``newswatch`` package; import them as ``tests.support.…`` with the checkout root on ``sys.path``
(pytest's ``pythonpath`` setting, or ``python -m`` from the root)."""
