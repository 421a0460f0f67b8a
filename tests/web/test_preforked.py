"""The supervisor of `kaitiaki serve --workers N` is configured from Kaitiaki's settings."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from kaitiaki.config import Settings
from kaitiaki.web.preforked import PreforkedServer


@pytest.mark.parametrize(("host", "address"), [("127.0.0.1", ("127.0.0.1", 8123)), ("::1", ("::1", 8123)),
                                               ("0.0.0.0", ("0.0.0.0", 8123))])
def test_it_listens_on_the_configured_address_ipv6_included(host: str, address: tuple[str, int]):
    server = PreforkedServer(FastAPI(), Settings(host=host, port=8123), 3)
    assert server.cfg.address == [address]
    assert server.cfg.workers == 3


def test_the_access_log_follows_the_setting():
    assert PreforkedServer(FastAPI(), Settings(access_log=False), 2).cfg.accesslog is None
    assert PreforkedServer(FastAPI(), Settings(access_log=True), 2).cfg.accesslog == "-"
