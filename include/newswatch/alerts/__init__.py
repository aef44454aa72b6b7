"""The daily digest and alerts: select (window, story clusters, filters), render (Jinja2), chart, deliver
(SMTP or outbox, the ledger), ops (ops mails); send holds the steps the digest and alerts DAGs call."""
