"""Link classification: who is behind a URL (government, party, news, commercial, shortener,
social, unknown).

The registrable domain comes from tldextract with its bundled Public Suffix List snapshot only: no
suffix list is ever fetched and nothing is cached on disk. Lexicon data (`domain_classes`) decides
first; then NZ government second-level domains (govt.nz, mil.nz, parliament.nz) are government
even when no lexicon lists them; then a small built-in list of link shorteners and social
platforms. Everything else is unknown. iwi.nz is not government: iwi are not the Crown.
tldextract (and the requests stack it brings) is imported, and its suffix list read, when a
`LinkClassifier` is made (a pack's compile), not when a serving worker imports the application
(docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import tldextract

CLASSES = ("government", "party", "news", "commercial", "shortener", "social", "unknown")
GOVERNMENT_SUFFIXES = ("govt.nz", "mil.nz", "parliament.nz")

# Fallbacks when a pack's lexicons do not name these; lexicon data takes precedence.
BUILTIN_SHORTENERS = frozenset(
    "bit.ly t.co tinyurl.com ow.ly buff.ly goo.gl is.gd rebrand.ly shorturl.at cutt.ly tiny.cc "
    "lnkd.in dlvr.it trib.al bl.ink s.id t.ly rb.gy v.gd qrco.de".split()
)
BUILTIN_SOCIAL = frozenset(
    "facebook.com fb.com fb.me x.com twitter.com instagram.com linkedin.com youtube.com youtu.be "
    "tiktok.com threads.net bsky.app mastodon.social reddit.com pinterest.com snapchat.com "
    "whatsapp.com wa.me t.me".split()
)


@dataclass(frozen=True, slots=True)
class LinkInfo:
    url: str
    domain: str  # the host, lower case, without port
    registered_domain: str  # e.g. dpmc.govt.nz for https://www.dpmc.govt.nz/about
    klass: str  # government | party | news | commercial | shortener | social | unknown
    entity: str | None  # the lexicon entry name that classified it


@cache
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    # Empty URL list + no cache directory: the bundled snapshot is the only source, offline.
    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    extract("example.org")  # reads the snapshot into its suffix tree now, not in the first check
    return extract


def split_url(url: str) -> tuple[str, str]:
    """(host, first path segment), both lower case; ('', '') when there is no host."""
    candidate = url.strip().strip("<>\"'")
    if not candidate:
        return "", ""
    if "://" not in candidate and not candidate.startswith("//"):
        candidate = "//" + candidate
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "", ""
    if "." not in host or any(char.isspace() for char in host):
        return "", ""
    segment = parts.path.strip("/").split("/", 1)[0].lower()
    return host, segment


def registered_domain(host: str) -> str:
    """The registrable domain of a host per the bundled Public Suffix List (host itself if none)."""
    if not host:
        return ""
    extracted = _extractor()(host)
    return extracted.top_domain_under_public_suffix or host


class LinkClassifier:
    def __init__(self, domain_classes: Mapping[str, tuple[str, str]]) -> None:
        """`domain_classes`: registered domain, full host, or host/first-path-segment (for profile
        links such as x.com/nznationalparty) -> (class, entity name). Keys are case-insensitive."""
        self._classes: dict[str, tuple[str, str]] = {}
        for key, (klass, entity) in domain_classes.items():
            if klass not in CLASSES:
                raise ValueError(f"link class {klass!r} for {key!r} is not one of {', '.join(CLASSES)}")
            self._classes[key.strip().lower().removeprefix("www.").rstrip("/")] = (klass, entity)
        _extractor()  # the suffix list is read now, so that no check waits for it

    def classify(self, url: str) -> LinkInfo:
        host, segment = split_url(url)
        if not host:
            return LinkInfo(url, "", "", "unknown", None)
        registered = registered_domain(host)
        for key in self._lookup_keys(host, registered, segment):
            if key in self._classes:
                klass, entity = self._classes[key]
                return LinkInfo(url, host, registered, klass, entity)
        return LinkInfo(url, host, registered, _builtin_class(host, registered), None)

    @staticmethod
    def _lookup_keys(host: str, registered: str, segment: str) -> list[str]:
        """Most specific first: profile path, then the host and each parent down to the domain."""
        bare_host = host.removeprefix("www.")
        keys = [f"{bare_host}/{segment}", f"{registered}/{segment}"] if segment else []
        labels = bare_host.split(".")
        for index in range(len(labels)):
            parent = ".".join(labels[index:])
            keys.append(parent)
            if parent == registered:
                break
        return keys


def _builtin_class(host: str, registered: str) -> str:
    if any(host == suffix or host.endswith("." + suffix) for suffix in GOVERNMENT_SUFFIXES):
        return "government"
    if registered in BUILTIN_SHORTENERS:
        return "shortener"
    if registered in BUILTIN_SOCIAL:
        return "social"
    return "unknown"
