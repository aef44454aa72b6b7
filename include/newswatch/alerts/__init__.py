"""The daily digest: select (window, story clusters, filters), render (Jinja2) and deliver (SMTP or outbox)."""
