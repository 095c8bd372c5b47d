"""URL canonicalisation and the private-address guard."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ohliad.errors import OhliadError

# Query parameters that only track the reader; two URLs differing in them
# point at the same article.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref",
        "ref_src",
        "cmpid",
        "ocid",
        "smid",
        "partner",
    }
)


class UnsafeURLError(OhliadError, ValueError):
    """A URL that ohliad refuses to fetch (scheme or address)."""


def canonical_url(url: str) -> str:
    """Normalise a URL so that trivially different spellings compare equal:
    lower-case scheme and host, no default port, no fragment, no tracking
    parameters, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_fetchable(url: str, *, allow_private: bool = False) -> None:
    """Refuse non-HTTP schemes, and hosts that resolve to private, loopback,
    link-local or reserved addresses unless ``allow_private`` is set."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(f"only http and https URLs are fetched, not {parts.scheme or 'none'}")
    host = parts.hostname
    if not host:
        raise UnsafeURLError("the URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UnsafeURLError(f"cannot resolve host {host}: {exc.strerror}") from None
    for info in infos:
        address = str(info[4][0])
        if not _is_public(address):
            raise UnsafeURLError(
                f"{host} resolves to the non-public address {address}; "
                "pass --allow-private to fetch from private or loopback addresses"
            )
