"""OpenID Connect client: issuer discovery, the authorisation request with PKCE, state and nonce,
the code exchange and the ID token's validation. Authlib builds the requests; joserfc checks the
token (kaitiaki.auth.oidc_tokens). Both, and requests, are imported by the methods that use them:
most installations never sign in through a provider, and a serving worker starts faster without
them (docs/performance.md, "A worker's start").

One `OidcClient` serves the whole application; it keeps the provider's metadata and keys in memory
and fetches the keys again when a token is signed with a key it does not know (key rotation).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from kaitiaki.auth.oidc_tokens import IdTokenRejected, usable_algorithms, validate_id_token
from kaitiaki.config import Settings, SettingsError

if TYPE_CHECKING:
    from authlib.integrations.requests_client import OAuth2Session
    from joserfc.jwk import KeySet

log = logging.getLogger(__name__)

CALLBACK_PATH = "/login/oidc/callback"
HTTP_TIMEOUT_SECONDS = 10
METADATA_MAX_AGE_SECONDS = 3600

NOT_STARTED_HERE = "This sign-in had expired or did not start on this page. Sign in again."
PROVIDER_UNREACHABLE = "The identity provider could not be reached. Try again in a few minutes."
NOT_VERIFIED = (
    "The identity provider's answer could not be verified, so you have not been signed in. "
    "Sign in again; if this keeps happening, tell an administrator."
)


class OidcFailed(Exception):
    """The sign-in through the provider did not succeed. `message` is for the person; `reason`
    (with details) is for the log."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class PendingSignIn:
    """What the callback must see again: kept in the signed session cookie between the two."""

    state: str
    nonce: str
    code_verifier: str
    next: str

    def to_session(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_session(cls, value: object) -> PendingSignIn | None:
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                **{key: str(value[key]) for key in ("state", "nonce", "code_verifier", "next")}
            )
        except KeyError:
            return None


class OidcClient:
    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        client_secret: str | None,
        scopes: str,
        redirect_uri: str,
        group_claim: str | None = None,
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = " ".join(dict.fromkeys(["openid", *scopes.split()]))
        self.redirect_uri = redirect_uri
        # Claims a provider may keep out of the ID token and give from userinfo only.
        self.wanted_claims = tuple(claim for claim in ("email", group_claim) if claim)
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcClient | None:
        """The client the settings describe, None when single sign-on is off."""
        if not settings.oidc_enabled:
            return None
        assert settings.oidc_issuer is not None
        if not settings.oidc_client_id:
            raise SettingsError("KAITIAKI_OIDC_CLIENT_ID is required with KAITIAKI_OIDC_ISSUER.")
        return cls(
            issuer=settings.oidc_issuer,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret or None,
            scopes=settings.oidc_scopes,
            redirect_uri=settings.base_url.rstrip("/") + CALLBACK_PATH,
            group_claim=settings.oidc_group_claim or None,
        )

    # -- the provider's published configuration ------------------------------------------------

    def _get_json(self, url: str) -> dict[str, Any]:
        import requests  # deferred, as are Authlib and joserfc: see the module's docstring

        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise OidcFailed(PROVIDER_UNREACHABLE, f"GET {url}: {exc}") from exc

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            fresh = time.monotonic() - self._metadata_at < METADATA_MAX_AGE_SECONDS
            if self._metadata is not None and fresh:
                return self._metadata
        metadata = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        if metadata.get("issuer") != self.issuer:
            # OpenID Connect Discovery 4.3: a mismatch means the wrong (or an impostor) provider.
            raise OidcFailed(
                PROVIDER_UNREACHABLE,
                f"discovery issuer {metadata.get('issuer')!r} is not {self.issuer!r}",
            )
        missing = [
            key
            for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
            if key not in metadata
        ]
        if missing:
            raise OidcFailed(PROVIDER_UNREACHABLE, f"discovery lacks {', '.join(missing)}")
        with self._lock:
            self._metadata, self._metadata_at = metadata, time.monotonic()
        return metadata

    def _key_set(self, *, refresh: bool) -> KeySet:
        with self._lock:
            if self._keys is not None and not refresh:
                return self._keys
        from joserfc.jwk import KeySet

        try:
            keys = KeySet.import_key_set(self._get_json(self.metadata()["jwks_uri"]))  # type: ignore[arg-type]
        except ValueError as exc:
            raise OidcFailed(PROVIDER_UNREACHABLE, f"unusable JWKS: {exc}") from exc
        with self._lock:
            self._keys = keys
        return keys

    # -- the sign-in ----------------------------------------------------------------------------

    def _auth_method(self) -> str:
        if not self.client_secret:
            return "none"
        offered = self.metadata().get("token_endpoint_auth_methods_supported") or []
        # Basic is the OpenID default; some providers offer only the secret in the form body.
        if "client_secret_basic" not in offered and "client_secret_post" in offered:
            return "client_secret_post"
        return "client_secret_basic"

    def _session(self, **kwargs: Any) -> OAuth2Session:
        from authlib.integrations.requests_client import OAuth2Session

        return OAuth2Session(
            self.client_id,
            self.client_secret,
            token_endpoint_auth_method=self._auth_method(),
            scope=self.scope,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            default_timeout=HTTP_TIMEOUT_SECONDS,
            **kwargs,
        )

    def begin(self, next_path: str) -> tuple[str, PendingSignIn]:
        """The provider's authorisation URL to send the browser to, and what to keep until it
        comes back."""
        from authlib.common.security import generate_token

        pending = PendingSignIn(
            state=generate_token(32),
            nonce=generate_token(32),
            code_verifier=generate_token(64),
            next=next_path,
        )
        with self._session() as oauth:
            url, _state = oauth.create_authorization_url(
                self.metadata()["authorization_endpoint"],
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
            )
        return url, pending

    def finish(self, query: dict[str, str], pending: PendingSignIn | None) -> dict[str, Any]:
        """The validated claims (ID token, completed from userinfo) for the callback's query."""
        state = query.get("state", "")
        if pending is None or not secrets.compare_digest(state.encode(), pending.state.encode()):
            raise OidcFailed(
                NOT_STARTED_HERE, "state missing or not the one this browser was sent with"
            )
        if "error" in query:
            error = query["error"][:100]
            raise OidcFailed(
                f"The identity provider did not sign you in ({error}).",
                f"provider error {error}: {query.get('error_description', '')[:300]}",
            )
        if "iss" in query and query["iss"] != self.issuer:
            # RFC 9207: the answer came from another provider (a mix-up attack).
            raise OidcFailed(NOT_VERIFIED, f"authorisation response iss {query['iss']!r}")
        code = query.get("code")
        if not code:
            raise OidcFailed(NOT_VERIFIED, "callback without a code")
        import requests
        from authlib.oauth2.rfc6749 import OAuth2Error

        metadata = self.metadata()
        with self._session(state=pending.state) as oauth:
            try:
                token = oauth.fetch_token(
                    metadata["token_endpoint"], code=code, code_verifier=pending.code_verifier
                )
            except (OAuth2Error, requests.RequestException, ValueError) as exc:
                raise OidcFailed(NOT_VERIFIED, f"code exchange: {exc}") from exc
            id_token = token.get("id_token")
            if not isinstance(id_token, str):
                raise OidcFailed(NOT_VERIFIED, "token response without an ID token")
            claims = self.validate(id_token, nonce=pending.nonce)
            missing = [claim for claim in self.wanted_claims if claim not in claims]
            if missing and metadata.get("userinfo_endpoint"):
                claims = {**self._userinfo(oauth, metadata["userinfo_endpoint"], claims), **claims}
        return claims

    def validate(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims; the keys are fetched again once if the token does not verify
        with the ones held (the provider may have rotated its keys)."""
        algorithms = usable_algorithms(self.metadata().get("id_token_signing_alg_values_supported"))
        for refresh in (False, True):
            try:
                return validate_id_token(
                    id_token,
                    keys=self._key_set(refresh=refresh),
                    issuer=self.issuer,
                    client_id=self.client_id,
                    nonce=nonce,
                    algorithms=algorithms,
                )
            except IdTokenRejected as exc:
                if refresh or not exc.reason.startswith("signature"):
                    raise OidcFailed(NOT_VERIFIED, f"ID token rejected: {exc.reason}") from exc
        raise AssertionError("unreachable")

    def _userinfo(self, oauth: OAuth2Session, url: str, claims: dict[str, Any]) -> dict[str, Any]:
        """Claims the provider keeps out of the ID token. Only for the same subject (OIDC Core
        5.3.2), and never overriding what the signed token says."""
        import requests
        from authlib.oauth2.rfc6749 import OAuth2Error

        try:
            response = oauth.get(url)
            response.raise_for_status()
            info = response.json()
        except (OAuth2Error, requests.RequestException, ValueError) as exc:
            raise OidcFailed(PROVIDER_UNREACHABLE, f"userinfo: {exc}") from exc
        if not isinstance(info, dict) or info.get("sub") != claims["sub"]:
            raise OidcFailed(NOT_VERIFIED, "userinfo is about another subject")
        return info


__all__ = ["CALLBACK_PATH", "OidcClient", "OidcFailed", "PendingSignIn"]
