"""The list of feeds to watch: a TOML file of ``[[feed]]`` tables, or an OPML
export from a feed reader.

TOML::

    [defaults]
    interval = "15m"

    [[feed]]
    url = "https://example.com/rss"
    outlet = "Example Daily"   # optional, else the feed's own title
    language = "en"            # optional, else the feed's or detected
    interval = "10m"           # optional: seconds, or "90s", "15m", "2h"
"""

from __future__ import annotations

import io
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ElementTree, ParseError, SubElement, indent

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ohliad.errors import OhliadError
from ohliad.ingest.urls import canonical_url

DEFAULT_INTERVAL_SECONDS = 900
# Polling faster than this is impolite to any outlet.
MIN_INTERVAL_SECONDS = 1

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class FeedListError(OhliadError, ValueError):
    """A feed list that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    url: str
    outlet: str | None = None
    language: str | None = None
    interval_seconds: int = DEFAULT_INTERVAL_SECONDS


def parse_interval(value: object, *, where: str) -> int:
    """Seconds from ``900``, ``"90s"``, ``"15m"``, ``"2h"`` or ``"1d"``."""
    if isinstance(value, bool):
        raise FeedListError(f"{where}: interval must be a number of seconds or like '15m'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value).lower())
        if not match:
            raise FeedListError(f"{where}: interval {value!r} is not like 900, '90s', '15m', '2h'")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < MIN_INTERVAL_SECONDS:
        raise FeedListError(f"{where}: interval must be at least {MIN_INTERVAL_SECONDS} s")
    return round(seconds)


def _feed_url(value: object, *, where: str) -> str:
    url = str(value or "").strip()
    if not url.startswith(("http://", "https://")):
        raise FeedListError(f"{where}: feed url must start with http:// or https://, got {url!r}")
    return canonical_url(url)


def _optional_text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def feed_spec(
    url: str,
    *,
    outlet: str | None = None,
    language: str | None = None,
    interval: object = None,
    where: str = "feed",
) -> FeedSpec:
    """A checked feed: an http(s) address (canonical), its outlet and language
    if given, and its interval (seconds, or like "15m"). Raises FeedListError."""
    return FeedSpec(
        url=_feed_url(url, where=where),
        outlet=_optional_text(outlet),
        language=(_optional_text(language) or "").lower() or None,
        interval_seconds=(
            DEFAULT_INTERVAL_SECONDS if interval is None else parse_interval(interval, where=where)
        ),
    )


def _spec_from_table(table: Any, default_interval: int, *, where: str) -> FeedSpec:
    if not isinstance(table, dict):
        raise FeedListError(f"{where}: each [[feed]] must be a table")
    unknown = set(table) - {"url", "outlet", "language", "interval"}
    if unknown:
        raise FeedListError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    interval = table.get("interval")
    return feed_spec(
        str(table.get("url") or ""),
        outlet=table.get("outlet"),
        language=table.get("language"),
        interval=default_interval if interval is None else interval,
        where=where,
    )


def parse_toml_feed_list(text: str, *, origin: str) -> list[FeedSpec]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedListError(f"{origin}: invalid TOML ({exc})") from None
    defaults = document.get("defaults", {})
    default_interval = DEFAULT_INTERVAL_SECONDS
    if isinstance(defaults, dict) and "interval" in defaults:
        default_interval = parse_interval(defaults["interval"], where=f"{origin} [defaults]")
    tables = document.get("feed")
    if not isinstance(tables, list) or not tables:
        raise FeedListError(f"{origin}: no [[feed]] tables")
    return [
        _spec_from_table(table, default_interval, where=f"{origin} feed {number}")
        for number, table in enumerate(tables, start=1)
    ]


def _outlines(root: Element) -> list[Element]:
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise FeedListError("not an OPML document (no <opml><body>)")
    return [o for o in body.iter("outline") if o.get("xmlUrl")]


def parse_opml_feed_list(data: bytes, *, origin: str) -> list[FeedSpec]:
    try:
        # defusedxml refuses entity expansion (billion laughs) and external entities.
        root = SafeET.fromstring(data)
        outlines = _outlines(root)
    except (ParseError, DefusedXmlException, FeedListError) as exc:
        raise FeedListError(f"{origin}: cannot read OPML ({exc})") from None
    if not outlines:
        raise FeedListError(f"{origin}: no <outline xmlUrl=…> feeds")
    specs = []
    for number, outline in enumerate(outlines, start=1):
        where = f"{origin} outline {number}"
        language = _optional_text(outline.get("language"))
        url = _feed_url(outline.get("xmlUrl"), where=where)
        outlet = _optional_text(outline.get("title") or outline.get("text"))
        specs.append(
            FeedSpec(
                url=url,
                # Readers write the address as the name of a feed without one.
                outlet=None if outlet in (url, outline.get("xmlUrl")) else outlet,
                language=language.split("-")[0].lower() if language else None,
            )
        )
    return specs


def _without_repeats(specs: list[FeedSpec], *, origin: str) -> list[FeedSpec]:
    seen: set[str] = set()
    for spec in specs:
        if spec.url in seen:
            raise FeedListError(f"{origin}: feed {spec.url} is listed twice")
        seen.add(spec.url)
    return specs


def load_feed_list(path: Path) -> list[FeedSpec]:
    """Feeds from a ``.toml`` or ``.opml``/``.xml`` file. Raises FeedListError."""
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedListError(f"{origin}: {exc.strerror or exc}") from None
    if path.suffix.lower() == ".toml":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FeedListError(f"{origin}: TOML must be UTF-8") from None
        return _without_repeats(parse_toml_feed_list(text, origin=origin), origin=origin)
    if path.suffix.lower() in (".opml", ".xml"):
        return _without_repeats(parse_opml_feed_list(data, origin=origin), origin=origin)
    raise FeedListError(f"{origin}: a feed list is a .toml or .opml file")


def opml_feed_list(specs: Sequence[FeedSpec], *, title: str = "ohliad feeds") -> bytes:
    """The feeds as an OPML 2.0 subscription list, as feed readers export them
    (outlet as ``text``/``title``, ``language`` kept; OPML has no interval)."""
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = title
    body = SubElement(root, "body")
    for spec in specs:
        name = spec.outlet or spec.url  # text is required
        outline = SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=spec.url)
        if spec.language:
            outline.set("language", spec.language)
    indent(root)
    out = io.BytesIO()
    ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue() + b"\n"


def toml_feed_list(specs: Sequence[FeedSpec]) -> str:
    """The feeds as a TOML feed list (``load_feed_list`` reads it back whole)."""
    lines = []
    for spec in specs:
        # A JSON string is a TOML basic string.
        lines += ["[[feed]]", f"url = {json.dumps(spec.url, ensure_ascii=False)}"]
        if spec.outlet:
            lines.append(f"outlet = {json.dumps(spec.outlet, ensure_ascii=False)}")
        if spec.language:
            lines.append(f"language = {json.dumps(spec.language, ensure_ascii=False)}")
        lines += [f"interval = {spec.interval_seconds}", ""]
    return "\n".join(lines)
