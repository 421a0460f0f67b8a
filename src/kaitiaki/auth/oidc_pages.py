"""Sign-in through the agency's OpenID Connect identity provider.

GET /login/oidc sends the browser to the provider with a fresh state, nonce and PKCE challenge (kept
in the signed session cookie); the provider sends it back to GET /login/oidc/callback, where the
code is exchanged, the ID token validated and the person matched to their Kaitiaki account.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kaitiaki.auth.oidc_accounts import AccountRules, SignInRefused, account_for
from kaitiaki.auth.oidc_client import CALLBACK_PATH, OidcClient, OidcFailed, PendingSignIn
from kaitiaki.auth.pages import login_context, safe_next
from kaitiaki.config import Settings, SettingsError
from kaitiaki.errors import NotFound
from kaitiaki.auth.sessions import begin_session
from kaitiaki.web.deps import DbSession
from kaitiaki.web.templating import render

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

PENDING_KEY = "oidc_pending"


@dataclass(frozen=True)
class SingleSignOn:
    client: OidcClient
    rules: AccountRules


def single_sign_on(settings: Settings) -> SingleSignOn | None:
    """What the settings configure; None when single sign-on is off. Stops start-up with a clear
    message when the settings contradict each other."""
    if not settings.password_sign_in and not settings.oidc_enabled:
        raise SettingsError(
            "KAITIAKI_PASSWORD_SIGN_IN=false needs KAITIAKI_OIDC_ISSUER: otherwise nobody can "
            "sign in."
        )
    client = OidcClient.from_settings(settings)
    if client is None:
        return None
    return SingleSignOn(client=client, rules=AccountRules.from_settings(settings))


def _configured(request: Request) -> SingleSignOn:
    sso = getattr(request.app.state, "single_sign_on", None)
    if sso is None:
        raise NotFound("Sign-in through an identity provider is not set up here.")
    return sso


def _refused(request: Request, message: str, status_code: int) -> Response:
    context = {**login_context(request, next_path="/"), "error": message}
    return render(request, "auth/login.html", context, status_code=status_code)


@router.get("/login/oidc")
def begin_sign_in(request: Request, next: str = "/") -> Response:
    sso = _configured(request)
    try:
        url, pending = sso.client.begin(safe_next(next))
    except OidcFailed as exc:
        log.warning("Single sign-on could not start: %s", exc.reason)
        return _refused(request, exc.message, 502)
    request.session[PENDING_KEY] = pending.to_session()
    return RedirectResponse(url, status_code=303)


@router.get(CALLBACK_PATH)
def finish_sign_in(request: Request, session: DbSession) -> Response:
    sso = _configured(request)
    pending = PendingSignIn.from_session(request.session.pop(PENDING_KEY, None))
    try:
        claims = sso.client.finish(dict(request.query_params), pending)
        user = account_for(session, claims, sso.rules)
    except OidcFailed as exc:
        log.warning("Single sign-on failed: %s", exc.reason)
        return _refused(request, exc.message, 400)
    except SignInRefused as exc:
        log.info("Single sign-on refused: %s", exc.message)
        # The account created or changed so far stays: the refusal is a normal answer.
        return _refused(request, exc.message, 403)
    assert pending is not None  # finish() refuses a callback without one
    begin_session(request, session, user)
    return RedirectResponse(pending.next, status_code=303)


__all__ = ["PENDING_KEY", "SingleSignOn", "router", "single_sign_on"]
