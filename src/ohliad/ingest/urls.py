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
    if ":" in host:  # an IPv6 address keeps its brackets (found by fuzzing: 'A://[::]')
        host = f"[{host}]"
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path or "/"
    # Stripped again: space before a dropped fragment ("a #b") would otherwise
    # end the URL, and its canonical form would differ from it (found by fuzzing).
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), "")).strip()


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: a
# connection to them may well reach that IPv4 host (through a NAT64 gateway,
# or a host still honouring IPv4-compatible addresses).
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291, deprecated
# The local-use NAT64 prefix (RFC 8215): where the IPv4 address sits depends
# on the prefix length the network chose, and no public host is behind it.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 host an IPv6 address leads to, for the forms that carry one:
    NAT64, IPv4-compatible, 6to4 and Teredo."""
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client; the first is the Teredo server
    return None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            # The IPv4 host itself (Python counts the whole mapped range private).
            return _is_public(str(ip.ipv4_mapped))
        if ip in _LOCAL_NAT64:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None and not _is_public(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


def check_fetchable(url: str, *, allow_private: bool = False) -> tuple[str, ...]:
    """Refuse non-HTTP schemes, and hosts that resolve to private, loopback,
    link-local or reserved addresses unless ``allow_private`` is set.

    Returns the addresses the host resolved to, every one of them allowed.
    Connect to these and do not resolve the name again: a second answer may
    well be another address (DNS rebinding)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(f"only http and https URLs are fetched, not {parts.scheme or 'none'}")
    host = parts.hostname
    if not host:
        raise UnsafeURLError("the URL has no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UnsafeURLError(f"cannot resolve host {host}: {exc.strerror}") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            if not _is_public(address):
                raise UnsafeURLError(
                    f"{host} resolves to the non-public address {address}; "
                    "pass --allow-private to fetch from private or loopback addresses"
                )
    return addresses
