"""Which register channel a complaint's web address is about.

A post's address names its account on most platforms (x.com/NZCivilDefence/status/1...,
facebook.com/NZCivilDefence/posts/...), so the account handle is read from the path and looked
up in the register. Addresses that do not name an account (instagram.com/p/...) are compared
with the channels' own addresses; when nothing matches, communications staff triage it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from kaitiaki.models import Channel
from kaitiaki.register import queries as register_queries

PLATFORM_HOSTS: dict[str, str] = {
    "x.com": "x", "twitter.com": "x", "mobile.twitter.com": "x",
    "facebook.com": "facebook", "m.facebook.com": "facebook", "fb.com": "facebook",
    "instagram.com": "instagram", "linkedin.com": "linkedin", "youtube.com": "youtube",
    "m.youtube.com": "youtube", "tiktok.com": "tiktok", "threads.net": "threads",
    "threads.com": "threads", "bsky.app": "bluesky",
}
# Path segments that come before the handle ("/company/dpmc-nz") or are never a handle.
PREFIX_SEGMENTS = {"company", "showcase", "school", "in", "c", "user", "profile"}
NOT_HANDLES = {"p", "reel", "reels", "watch", "shorts", "share", "posts", "status", "story",
               "stories", "groups", "events", "hashtag", "search", "explore", "i", "home",
               "permalink.php", "photo", "photo.php", "video", "videos", "channel"}


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def platform_and_handle(url: str) -> tuple[str | None, str | None]:
    """("x", "NZCivilDefence") for https://x.com/NZCivilDefence/status/1; Nones when unknown."""
    host = _host(url)
    platform = PLATFORM_HOSTS.get(host)
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if platform is None:
        # Mastodon and other fediverse servers: https://server/@handle/123.
        if segments and segments[0].startswith("@") and len(segments[0]) > 1:
            return "mastodon", segments[0][1:]
        return None, None
    while segments and segments[0].lower() in PREFIX_SEGMENTS:
        segments = segments[1:]
    if not segments:
        return platform, None
    first = segments[0].removeprefix("@")
    if not first or first.lower() in NOT_HANDLES:
        return platform, None
    return platform, first


def _same_place(url: str, channel_url: str) -> bool:
    """Whether `url` is the channel's address or lies under it (scheme and www ignored)."""
    def key(address: str) -> str:
        parts = urlsplit(address.strip())
        return f"{_host(address)}{parts.path.rstrip('/')}".lower()

    wanted, base = key(url), key(channel_url)
    return bool(base) and (wanted == base or wanted.startswith(base + "/"))


def match_channel(session: Session, url: str) -> Channel | None:
    """The register channel the address belongs to, or None."""
    if not url.strip():
        return None
    platform, handle = platform_and_handle(url)
    if platform and handle:
        channel = register_queries.get_channel_by_handle(session, platform, handle)
        if channel is not None:
            return channel
    for channel, _flags in register_queries.list_channels(session):
        if _same_place(url, channel.url):
            return channel
    return None


__all__ = ["PLATFORM_HOSTS", "match_channel", "platform_and_handle"]
