"""ID-token validation: a genuine token passes; a tampered, forged or misdirected one is refused.
Every case goes through kaitiaki.auth.oidc_tokens.validate_id_token, the function sign-in uses."""

from __future__ import annotations

import base64
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from kaitiaki.auth.oidc_tokens import IdTokenRejected, usable_algorithms, validate_id_token

ISSUER = "https://login.example.govt.nz/tenant/v2.0"
CLIENT_ID = "kaitiaki"
NONCE = "nonce-from-this-sign-in"
PROVIDER_KEY = RSAKey.generate_key(2048, parameters={"kid": "provider-1"})
PUBLISHED = KeySet.import_key_set({"keys": [PROVIDER_KEY.as_dict(private=False)]})


def claims(**changes: object) -> dict:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "u-0001",
        "email": "advisor@agency.example.govt.nz",
        "nonce": NONCE,
        "iat": now,
        "exp": now + 300,
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def signed(payload: dict, key: RSAKey = PROVIDER_KEY, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": key.kid}, payload, key)


def validate(token: str, nonce: str = NONCE) -> dict:
    return validate_id_token(
        token, keys=PUBLISHED, issuer=ISSUER, client_id=CLIENT_ID, nonce=nonce, algorithms=["RS256"]
    )


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_genuine_token_gives_its_claims():
    assert validate(signed(claims()))["email"] == "advisor@agency.example.govt.nz"


def test_an_altered_signature_is_refused():
    header, payload, signature = signed(claims()).split(".")
    flipped = "A" if signature[10] != "A" else "B"
    with pytest.raises(IdTokenRejected, match="signature"):
        validate(".".join([header, payload, signature[:10] + flipped + signature[11:]]))


def test_altered_claims_under_the_original_signature_are_refused():
    header, _payload, signature = signed(claims()).split(".")
    forged = _b64(claims(email="admin@agency.example.govt.nz"))
    with pytest.raises(IdTokenRejected, match="signature"):
        validate(".".join([header, forged, signature]))


def test_a_token_signed_with_another_key_under_the_providers_key_id_is_refused():
    impostor = RSAKey.generate_key(2048, parameters={"kid": "provider-1"})
    with pytest.raises(IdTokenRejected, match="signature"):
        validate(signed(claims(), key=impostor))


def test_an_unsigned_token_is_refused():
    token = f"{_b64({'alg': 'none'})}.{_b64(claims())}."
    with pytest.raises(IdTokenRejected):
        validate(token)


def test_a_token_signed_with_the_client_secret_is_refused():
    # HS256 keyed with the client secret: Kaitiaki holds that secret too, so it proves nothing.
    secret = OctKey.import_key("kaitiaki-client-secret-0123456789abcdef")
    token = jwt.encode({"alg": "HS256"}, claims(), secret)
    with pytest.raises(IdTokenRejected):
        validate_id_token(
            token,
            keys=KeySet([secret]),
            issuer=ISSUER,
            client_id=CLIENT_ID,
            nonce=NONCE,
            algorithms=["HS256", "RS256"],
        )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"iss": "https://impostor.example.com"}, id="another issuer"),
        pytest.param({"aud": "another-client"}, id="another audience"),
        pytest.param({"aud": [CLIENT_ID, "another-client"]}, id="several audiences without azp"),
        pytest.param({"exp": int(time.time()) - 3600}, id="expired"),
        pytest.param({"sub": None}, id="no subject"),
        pytest.param({"nonce": None}, id="no nonce"),
        pytest.param({"nonce": "nonce-of-another-sign-in"}, id="another sign-in's nonce"),
    ],
)
def test_misdirected_or_stale_tokens_are_refused(changes: dict):
    with pytest.raises(IdTokenRejected, match="claims"):
        validate(signed(claims(**changes)))


def test_several_audiences_are_accepted_when_this_client_is_the_authorised_party():
    token = signed(claims(aud=[CLIENT_ID, "api"], azp=CLIENT_ID))
    assert validate(token)["sub"] == "u-0001"


def test_only_asymmetric_algorithms_are_used():
    assert usable_algorithms(["none", "HS256", "RS256", "ES256"]) == ["ES256", "RS256"]
    assert usable_algorithms(None) == ["RS256"]
    with pytest.raises(IdTokenRejected, match="algorithm"):
        validate_id_token(
            signed(claims()),
            keys=PUBLISHED,
            issuer=ISSUER,
            client_id=CLIENT_ID,
            nonce=NONCE,
            algorithms=usable_algorithms(["none", "HS256"]),
        )
