"""ID-token validation for OpenID Connect sign-in (joserfc, the JOSE library Authlib is built on).

Every ID token Kaitiaki accepts goes through `validate_id_token`: the signature against the
provider's published keys, then the claims OpenID Connect Core 3.1.3.7 requires of a client
(issuer, audience, authorised party, expiry, issue time, nonce).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from joserfc.jwk import KeySet

# Asymmetric algorithms only: "none" carries no signature, and HS* would be keyed with the client
# secret, which Kaitiaki also holds, so such a token proves nothing about the provider.
SIGNING_ALGORITHMS: frozenset[str] = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
CLOCK_LEEWAY_SECONDS = 60


class IdTokenRejected(Exception):
    """The ID token is not acceptable; `reason` says why (for the log, never for the page)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def usable_algorithms(advertised: Iterable[str] | None) -> list[str]:
    """The advertised signing algorithms Kaitiaki accepts (RS256 when the provider names none)."""
    offered = set(advertised or ["RS256"])
    return sorted(offered & SIGNING_ALGORITHMS)


def validate_id_token(
    id_token: str,
    *,
    keys: KeySet,
    issuer: str,
    client_id: str,
    nonce: str,
    algorithms: Iterable[str] = ("RS256",),
    now: int | None = None,
) -> dict[str, Any]:
    """The token's claims when it is genuine and meant for this sign-in; else IdTokenRejected."""
    # Deferred: only sign-ins through a provider need joserfc (kaitiaki.auth.oidc_client).
    from joserfc import jwt
    from joserfc.errors import JoseError

    allowed = [alg for alg in algorithms if alg in SIGNING_ALGORITHMS]
    if not allowed:
        raise IdTokenRejected("the provider offers no acceptable signing algorithm")
    try:
        token = jwt.decode(id_token, keys, algorithms=allowed)
    except (JoseError, ValueError) as exc:
        raise IdTokenRejected(f"signature or format: {exc}") from exc
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        now=now if now is not None else int(time.time()),
        leeway=CLOCK_LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise IdTokenRejected(f"claims: {exc}") from exc
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise IdTokenRejected("claims: several audiences and azp is not this client")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise IdTokenRejected("claims: sub is empty")
    return claims


__all__ = [
    "CLOCK_LEEWAY_SECONDS",
    "IdTokenRejected",
    "SIGNING_ALGORITHMS",
    "usable_algorithms",
    "validate_id_token",
]
