"""Outlet names from URLs: a table of news domains, else a tidy domain name."""

from __future__ import annotations

from urllib.parse import urlsplit

from ohliad.extract.outlet_names import OUTLET_NAMES

# Second-level labels under which a country's sites register (bbc.co.uk, abc.net.au).
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "in", "or", "ne", "go"}
# Host prefixes that are not part of a site's name.
_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "edition.", "international.")


def site_domain(url: str) -> str | None:
    """The registrable domain of ``url`` (``www.bbc.co.uk/news`` → ``bbc.co.uk``)."""
    try:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").rstrip(".")
    except ValueError:
        return None
    labels = [label for label in host.lower().split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return None
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def _host(url: str) -> str:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def outlet_from_url(url: str) -> str | None:
    """The outlet's name for ``url``: from the domain table, else the tidy domain."""
    host = _host(url)
    if host in OUTLET_NAMES:
        return OUTLET_NAMES[host]
    domain = site_domain(url)
    if domain is None:
        return None
    return OUTLET_NAMES.get(domain, domain)
