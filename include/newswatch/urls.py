"""URL helpers every layer may use: tracking parameters, and the one key of a page's http and https spellings.

Canonicalisation itself (``www.``, ports, AMP, sorted query …) is :func:`newswatch.dedup.canonicalize_url`;
what is here works on any URL, or on a URL already canonical, and needs nothing else.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a click came from.
TRACKING_PARAMS_RE = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|cmpid|ito|at_\w+)$",
    re.IGNORECASE,
)


def without_tracking(url: str) -> str:
    """``url`` as given, less its tracking parameters (``utm_*``, ``fbclid``, ``gclid`` …): the address to
    hand out. Everything else (scheme, host, path, the other parameters in their order, fragment) stays."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not TRACKING_PARAMS_RE.match(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))


def page_key(canonical_url: str) -> str:
    """The key of a canonical URL's page: the URL with ``http://`` spelt ``https://``.

    Canonical URLs keep the scheme they were given (an http-only site's page has no https address), but
    a page linked as http in one feed and https in another is one page: the warehouse keeps one article
    and one queued item per source for it (see :func:`scheme_twins`), and a story's id is derived from
    this key. It is how canonical URLs were spelt before they kept their scheme, so keys of stored rows
    are what they were.
    """
    return "https" + canonical_url[4:] if canonical_url.startswith("http://") else canonical_url


def scheme_twins(canonical_url: str) -> tuple[str, ...]:
    """The spellings a page's canonical URL may be stored under: itself and, for http(s), the other scheme's."""
    if canonical_url.startswith("http://"):
        return canonical_url, "https" + canonical_url[4:]
    if canonical_url.startswith("https://"):
        return canonical_url, "http" + canonical_url[5:]
    return (canonical_url,)
