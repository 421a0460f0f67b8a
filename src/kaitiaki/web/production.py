"""Start-up checks: the web application refuses to start in production with a setting that would
leave people exposed, and warns loudly about a development set-up that others can reach.

Refused when KAITIAKI_ENV=production:
- a KAITIAKI_BASE_URL that is not https:// (session cookies would go without the Secure flag and
  browsers would get no Strict-Transport-Security header, so a network observer could take over a
  signed-in session);
- a KAITIAKI_SECRET_KEY that is a placeholder or too uniform to be random (anyone who guesses it
  can forge a session cookie and sign in as anyone).
(A missing or short key is refused by Settings.resolved_secret_key.)

Warned about: a development or test set-up (generated key, development defaults) listening on an
address other than this machine's.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from kaitiaki.config import Settings, SettingsError

log = logging.getLogger(__name__)

# A random key of 32+ characters from token_urlsafe has far more distinct characters than this.
MIN_DISTINCT_KEY_CHARACTERS = 12
PLACEHOLDER_WORDS = ("change", "secret", "example", "password", "default", "kaitiaki", "xxxx")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def production_refusals(settings: Settings) -> list[str]:
    """What makes these settings unsafe to serve in production (empty when they are fine)."""
    if settings.env != "production":
        return []
    problems: list[str] = []
    if urlsplit(settings.base_url).scheme.lower() != "https":
        problems.append(
            f"KAITIAKI_BASE_URL is {settings.base_url!r}: in production it must be the public "
            "https:// address (behind a TLS proxy), so that session cookies are marked Secure and "
            "browsers are told to use HTTPS only (Strict-Transport-Security).")
    key = settings.secret_key or ""
    if key and (len(set(key)) < MIN_DISTINCT_KEY_CHARACTERS
                or any(word in key.lower() for word in PLACEHOLDER_WORDS)):
        problems.append(
            "KAITIAKI_SECRET_KEY looks like a placeholder, not a random key; generate one with "
            "`python -c \"import secrets; print(secrets.token_urlsafe(48))\"`.")
    return problems


def development_warnings(settings: Settings) -> list[str]:
    if settings.env == "production":
        return []
    if not _is_loopback(settings.host):
        return [f"KAITIAKI_ENV={settings.env} while listening on {settings.host}: this is a "
                "development set-up that other machines can reach. Set KAITIAKI_ENV=production "
                "(with an https:// KAITIAKI_BASE_URL and a KAITIAKI_SECRET_KEY) for real use."]
    return []


def check_settings_for_serving(settings: Settings) -> None:
    """Raise SettingsError listing every production problem; log each development warning."""
    refusals = production_refusals(settings)
    if refusals:
        raise SettingsError("Kaitiaki will not start in production: " + " ".join(refusals))
    for warning in development_warnings(settings):
        log.warning("UNSAFE SET-UP: %s", warning)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


__all__ = ["check_settings_for_serving", "development_warnings", "production_refusals"]
