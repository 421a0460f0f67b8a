"""Link classification, offline: lexicon domains first, then NZ government suffixes, then the
built-in shorteners and social platforms."""

from __future__ import annotations

import socket

import pytest

from kaitiaki.checker.detectors import links
from kaitiaki.checker.detectors.links import LinkClassifier

DOMAINS = {
    "national.org.nz": ("party", "New Zealand National Party"),
    "labour.org.nz": ("party", "New Zealand Labour Party"),
    "stuff.co.nz": ("news", "Stuff"),
    "rnz.co.nz": ("news", "RNZ"),
    "countdown.co.nz": ("commercial", "Countdown"),
    "x.com/nznationalparty": ("party", "New Zealand National Party"),
    "civildefence.govt.nz": ("government", "National Emergency Management Agency"),
}


@pytest.fixture(scope="module")
def classifier() -> LinkClassifier:
    return LinkClassifier(DOMAINS)


@pytest.mark.parametrize(
    ("url", "klass", "entity", "registered"),
    [
        ("https://www.national.org.nz/policies", "party", "New Zealand National Party", "national.org.nz"),
        ("labour.org.nz", "party", "New Zealand Labour Party", "labour.org.nz"),
        ("https://www.stuff.co.nz/national/123", "news", "Stuff", "stuff.co.nz"),
        ("HTTPS://WWW.RNZ.CO.NZ/news", "news", "RNZ", "rnz.co.nz"),
        ("shop.countdown.co.nz/specials", "commercial", "Countdown", "countdown.co.nz"),
        ("https://x.com/NZNationalParty", "party", "New Zealand National Party", "x.com"),
        ("https://x.com/NZcivildefence", "social", None, "x.com"),
        ("https://www.civildefence.govt.nz/get-ready", "government", "National Emergency Management Agency", "civildefence.govt.nz"),
        ("https://www.dpmc.govt.nz/our-programmes", "government", None, "dpmc.govt.nz"),
        ("https://www.nzdf.mil.nz", "government", None, "nzdf.mil.nz"),
        ("https://www.parliament.nz/en/mps", "government", None, "www.parliament.nz"),
        ("https://www.ngaitahu.iwi.nz", "unknown", None, "ngaitahu.iwi.nz"),
        ("bit.ly/3xYz", "shortener", None, "bit.ly"),
        ("https://t.co/abc", "shortener", None, "t.co"),
        ("https://www.facebook.com/NEMA", "social", None, "facebook.com"),
        ("https://example.co.nz:8443/x", "unknown", None, "example.co.nz"),
        ("https://govt.nz.example.com", "unknown", None, "example.com"),
        ("not a link", "unknown", None, ""),
        ("", "unknown", None, ""),
    ],
)
def test_classify(classifier: LinkClassifier, url: str, klass: str, entity: str | None, registered: str) -> None:
    info = classifier.classify(url)
    assert (info.klass, info.entity, info.registered_domain) == (klass, entity, registered)
    assert info.url == url


def test_lexicon_data_overrides_the_built_in_lists() -> None:
    classifier = LinkClassifier({"bit.ly": ("commercial", "Bitly")})
    assert classifier.classify("bit.ly/x").klass == "commercial"


def test_rejects_an_unknown_class() -> None:
    with pytest.raises(ValueError, match="link class 'partisan'"):
        LinkClassifier({"example.nz": ("partisan", "Example")})


def test_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("link classification tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    links._extractor.cache_clear()  # build a fresh extractor under the guard
    info = LinkClassifier({}).classify("https://www.health.govt.nz/news")
    assert (info.klass, info.registered_domain) == ("government", "health.govt.nz")


def test_no_suffix_list_cache_on_disk(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    links._extractor.cache_clear()
    LinkClassifier({}).classify("https://www.dpmc.govt.nz")
    assert list(tmp_path.iterdir()) == []
