"""The client's handling of the provider's published configuration: a rotated signing key is
fetched again, a discovery document naming another issuer is refused."""

from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from kaitiaki.auth.oidc_client import OidcClient, OidcFailed

ISSUER = "https://id.example.govt.nz"
JWKS_URI = f"{ISSUER}/jwks"
DISCOVERY = {
    "issuer": ISSUER,
    "authorization_endpoint": f"{ISSUER}/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "jwks_uri": JWKS_URI,
    "id_token_signing_alg_values_supported": ["RS256"],
}


class FakeProvider:
    """Answers the client's GETs; counts how often the keys were fetched."""

    def __init__(self, key: RSAKey, discovery: dict = DISCOVERY) -> None:
        self.key = key
        self.discovery = discovery
        self.key_fetches = 0

    def get_json(self, url: str) -> dict:
        if url == JWKS_URI:
            self.key_fetches += 1
            return {"keys": [self.key.as_dict(private=False)]}
        return self.discovery


def client_for(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> OidcClient:
    client = OidcClient(
        issuer=ISSUER,
        client_id="kaitiaki",
        client_secret="secret",
        scopes="email",
        redirect_uri="https://kaitiaki.example.govt.nz/cb",
    )
    monkeypatch.setattr(client, "_get_json", provider.get_json)
    return client


def token(key: RSAKey, nonce: str = "n") -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "kaitiaki",
        "sub": "u-1",
        "nonce": nonce,
        "iat": now,
        "exp": now + 300,
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def test_a_rotated_signing_key_is_fetched_again(monkeypatch: pytest.MonkeyPatch):
    old = RSAKey.generate_key(2048, parameters={"kid": "k"})
    provider = FakeProvider(old)
    client = client_for(provider, monkeypatch)
    assert client.validate(token(old), nonce="n")["sub"] == "u-1"
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "k"})  # same kid, new key
    assert client.validate(token(provider.key), nonce="n")["sub"] == "u-1"
    assert provider.key_fetches == 2


def test_a_forged_token_is_refused_after_one_fresh_look_at_the_keys(
    monkeypatch: pytest.MonkeyPatch,
):
    provider = FakeProvider(RSAKey.generate_key(2048, parameters={"kid": "k"}))
    client = client_for(provider, monkeypatch)
    forger = RSAKey.generate_key(2048, parameters={"kid": "k"})
    with pytest.raises(OidcFailed, match="ID token rejected: signature"):
        client.validate(token(forger), nonce="n")
    assert provider.key_fetches == 2


def test_a_wrong_nonce_is_refused_without_fetching_the_keys_again(monkeypatch: pytest.MonkeyPatch):
    provider = FakeProvider(RSAKey.generate_key(2048, parameters={"kid": "k"}))
    client = client_for(provider, monkeypatch)
    with pytest.raises(OidcFailed, match="ID token rejected: claims"):
        client.validate(token(provider.key, nonce="another"), nonce="n")
    assert provider.key_fetches == 1


def test_discovery_naming_another_issuer_is_refused(monkeypatch: pytest.MonkeyPatch):
    impostor = {**DISCOVERY, "issuer": "https://impostor.example.com"}
    client = client_for(FakeProvider(RSAKey.generate_key(2048), impostor), monkeypatch)
    with pytest.raises(OidcFailed, match="discovery issuer"):
        client.begin("/")


def test_the_authorisation_request_carries_pkce_state_and_nonce(monkeypatch: pytest.MonkeyPatch):
    client = client_for(FakeProvider(RSAKey.generate_key(2048)), monkeypatch)
    url, pending = client.begin("/register")
    assert url.startswith(f"{ISSUER}/authorize?")
    assert "code_challenge_method=S256" in url and "code_challenge=" in url
    assert f"state={pending.state}" in url and f"nonce={pending.nonce}" in url
    assert pending.code_verifier not in url
    assert "scope=openid+email" in url
    assert pending.next == "/register"
