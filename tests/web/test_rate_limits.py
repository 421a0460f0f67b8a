"""Per-client limits on the anonymous ways in, on a live server over real TCP: each client is a
loopback address of its own (127.x.y.z), so one client's 429s are seen not to touch another's.
Counts are kept in memory by default and in the real Redis on 127.0.0.1:6379 when configured."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest

from kaitiaki.config import Settings
from tests.fixtures.servers import needed
from tests.web.live import live_server

REDIS_URL = "redis://127.0.0.1:6379/0"
ITEM = {"id": "p", "kind": "post", "text": "Our offices are closed on Labour Day."}


def new_address() -> str:
    """A loopback address no other test (or earlier run, whose counts Redis may still hold)
    has used."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def client_from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


@pytest.fixture
def redis_url() -> str:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        needed("Redis is not running on 127.0.0.1:6379", "the shared rate-limit tests")
    return REDIS_URL


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    with live_server(settings) as url:
        yield url


def test_30_rapid_anonymous_checks_from_one_client_get_429s_and_another_is_unaffected(
    server: str, settings: Settings
):
    limit = int(settings.rate_limit_check_api.split("/")[0])
    with client_from(new_address()) as noisy, client_from(new_address()) as other:
        answers = [noisy.post(f"{server}/api/v1/check", json=ITEM) for _ in range(30)]
        statuses = [answer.status_code for answer in answers]
        assert statuses == [200] * limit + [429] * (30 - limit)
        refused = answers[-1]
        assert refused.headers["content-type"].startswith("application/json")
        assert refused.json()["error"] == "rate_limited"
        assert "Too many checks from your address" in refused.json()["detail"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert other.post(f"{server}/api/v1/check", json=ITEM).status_code == 200
        # A page or a signed-in person's work is not counted against the address.
        assert noisy.get(f"{server}/self-check").status_code == 200


def test_the_complaint_form_over_its_limit_gets_a_page_saying_what_to_do(
    settings: Settings
):
    with live_server(settings.model_copy(update={"rate_limit_complaint_form": "2/minute"})) as url, \
            client_from(new_address()) as person:
        # The form's own checks (here: no CSRF token) answer first; each try still counts.
        assert [person.post(f"{url}/complaints/new", data={"text": "x"}).status_code
                for _ in range(2)] == [403, 403]
        refused = person.post(f"{url}/complaints/new", data={"text": "x"})
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("text/html")
        assert "Too many complaints from your address" in refused.text
        assert "Back button" in refused.text
        assert refused.headers["Retry-After"].isdigit()


def _hammer(urls: list[str], address: str, requests: int) -> list[int]:
    """`requests` sign-in posts at once from one address, spread over the servers."""
    with client_from(address) as client, ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda i: client.post(f"{urls[i % len(urls)]}/login",
                                                   data={"email": "a@b.c"}).status_code,
                             range(requests)))


def test_the_count_is_exact_under_concurrency(settings: Settings):
    with live_server(settings.model_copy(update={"rate_limit_sign_in": "10/minute"})) as url:
        statuses = _hammer([url], new_address(), 40)
    assert statuses.count(429) == 30
    assert len(statuses) - statuses.count(429) == 10


def test_redis_shares_one_exact_count_between_workers(settings: Settings, redis_url: str):
    shared = settings.model_copy(update={"rate_limit_storage": redis_url,
                                         "rate_limit_sign_in": "10/minute"})
    with ExitStack() as stack:
        # Two apps, as two worker processes would be, counting in the same Redis.
        urls = [stack.enter_context(live_server(shared)) for _ in range(2)]
        statuses = _hammer(urls, new_address(), 40)
        assert statuses.count(429) == 30
        with client_from(new_address()) as other:
            assert other.post(f"{urls[1]}/login", data={"email": "a@b.c"}).status_code != 429


def test_an_unreachable_redis_lets_requests_through_and_says_so(settings: Settings, caplog):
    down = settings.model_copy(update={"rate_limit_storage": "redis://127.0.0.1:9/0"})
    with live_server(down) as url, client_from(new_address()) as person:
        assert person.post(f"{url}/api/v1/check", json=ITEM).status_code == 200
    assert "Rate limit storage failed" in caplog.text


def test_a_bad_limit_setting_stops_start_up_with_its_name():
    with pytest.raises(ValueError, match="rate_limit_check_api"):
        Settings(env="test", rate_limit_check_api="lots")
    with pytest.raises(ValueError, match="rate_limit_storage"):
        Settings(env="test", rate_limit_storage="memcached://x")
