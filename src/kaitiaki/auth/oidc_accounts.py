"""Who a person signed in by the identity provider is in Kaitiaki.

The provider's subject (`sub`) names the account; the verified email address finds it the first
time only, and must be in an allowed domain. An unknown address gets an account with no roles when provisioning is on; a deactivated account stays shut.
Roles are granted in Kaitiaki, unless a group-to-role mapping is configured, in which case every
sign-in sets the person's roles to those of their groups. Nothing here commits.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.config import Settings, SettingsError
from kaitiaki.errors import BadInput, Conflict
from kaitiaki.models import User
from kaitiaki.people import queries
from kaitiaki.common.roles import parse_role_spec
from kaitiaki.people.service import add_sso_user, set_roles

log = logging.getLogger(__name__)

# Who the audit log names for what the provider's sign-in changes.
PROVIDER_ACTOR = "identity provider"


class SignInRefused(Exception):
    """The provider vouched for the person, but Kaitiaki does not let them in. `message` is
    written for them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AccountRules:
    allowed_domains: frozenset[str]
    provision: bool
    group_claim: str | None
    group_roles: Mapping[str, tuple[str, ...]]  # group -> role specs ("elt_member@DPMC-SGE")

    @classmethod
    def from_settings(cls, settings: Settings) -> AccountRules:
        if settings.oidc_enabled and not settings.oidc_email_domains:
            raise SettingsError(
                "KAITIAKI_OIDC_ALLOWED_EMAIL_DOMAINS is required with KAITIAKI_OIDC_ISSUER "
                "(for example dpmc.govt.nz)."
            )
        group_roles = parse_group_roles(settings.oidc_group_roles)
        if group_roles and not settings.oidc_group_claim:
            raise SettingsError(
                "KAITIAKI_OIDC_GROUP_ROLES needs KAITIAKI_OIDC_GROUP_CLAIM (for example groups)."
            )
        return cls(
            allowed_domains=settings.oidc_email_domains,
            provision=settings.oidc_provision_users,
            group_claim=settings.oidc_group_claim or None,
            group_roles=group_roles,
        )


def parse_group_roles(text: str) -> dict[str, tuple[str, ...]]:
    """Parse group=role pairs: "g1=admin, g2=elt_member@DPMC-SGE, g1=staff" gives
    {"g1": ("admin", "staff"), "g2": ("elt_member@DPMC-SGE",)}."""
    mapping: dict[str, list[str]] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        group, separator, spec = pair.partition("=")
        if not separator or not group.strip() or not spec.strip():
            raise SettingsError(f"KAITIAKI_OIDC_GROUP_ROLES: {pair.strip()!r} is not group=role.")
        try:
            parse_role_spec(spec)
        except BadInput as exc:
            raise SettingsError(f"KAITIAKI_OIDC_GROUP_ROLES: {exc.detail}") from exc
        mapping.setdefault(group.strip(), []).append(spec.strip())
    return {group: tuple(specs) for group, specs in mapping.items()}


def _verified_email(claims: Mapping[str, Any]) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignInRefused(
            "Your identity provider did not share your email address with Kaitiaki, so you "
            "cannot be signed in. Tell an administrator."
        )
    # Providers that say nothing about verification (Entra ID) vouch for their own directory.
    if claims.get("email_verified") is False:
        raise SignInRefused(
            f"Your identity provider has not verified {email}, so you cannot be signed in with it."
        )
    return queries.normalise_email(email)


def _groups(claims: Mapping[str, Any], claim: str | None) -> set[str]:
    value = claims.get(claim) if claim else None
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def _subject(claims: Mapping[str, Any]) -> tuple[str, str]:
    issuer, subject = claims.get("iss"), claims.get("sub")
    # A validated ID token always has both; anything else is the provider's fault.
    if not isinstance(issuer, str) or not isinstance(subject, str) or not subject:
        raise SignInRefused("Your identity provider did not say who you are (no subject), so "
                            "you cannot be signed in. Tell an administrator.")
    return issuer[:255], subject[:255]


def _by_subject(session: Session, issuer: str, subject: str) -> User | None:
    return session.scalars(select(User).where(User.oidc_issuer == issuer,
                                              User.oidc_subject == subject)).first()


def _by_email_once(session: Session, email: str, issuer: str, subject: str) -> User | None:
    """The account with this email, linked now to the provider's subject; refused when it is
    linked already to another subject (someone else has been given the address)."""
    user = queries.get_user_by_email(session, email)
    if user is None:
        return None
    if user.oidc_subject is not None:
        log.warning("Sign-in refused: %s is linked to another subject at %s", email, issuer)
        raise SignInRefused(
            f"The Kaitiaki account for {email} belongs to another person at your identity "
            "provider, so you cannot be signed in to it. Tell an administrator."
        )
    user.oidc_issuer, user.oidc_subject = issuer, subject
    session.flush()
    return user


def account_for(session: Session, claims: Mapping[str, Any], rules: AccountRules) -> User:
    """The active Kaitiaki account for these validated claims, created if the rules allow.

    Accounts are matched by the provider's subject (`sub`, with the issuer), which stays the same
    when the person's email address changes. An account without one yet is matched once by email
    and linked to the subject then."""
    email = _verified_email(claims)
    domain = email.rsplit("@", 1)[1]
    if domain not in rules.allowed_domains:
        raise SignInRefused(f"Accounts from {domain} cannot sign in to Kaitiaki.")
    issuer, subject = _subject(claims)
    user = _by_subject(session, issuer, subject) or _by_email_once(session, email, issuer, subject)
    if user is None:
        if not rules.provision:
            raise SignInRefused(
                f"There is no Kaitiaki account for {email}. Ask an administrator to add you."
            )
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        user = add_sso_user(session, email=email, name=name or "", actor=PROVIDER_ACTOR)
        user.oidc_issuer, user.oidc_subject = issuer, subject
        session.flush()
    if not user.is_active or user.left_at is not None:
        raise SignInRefused(f"The Kaitiaki account for {email} has been deactivated.")
    if rules.group_roles:
        _apply_group_roles(session, user, _groups(claims, rules.group_claim), rules)
    return user


def _apply_group_roles(session: Session, user: User, groups: set[str], rules: AccountRules) -> None:
    wanted = sorted({spec for group in groups for spec in rules.group_roles.get(group, ())})
    try:
        set_roles(session, email=user.email, roles=wanted, actor=PROVIDER_ACTOR)
    except Conflict as exc:
        # The last administrator keeps the role rather than lock everyone out of the admin pages.
        log.warning("Group roles not applied to %s: %s", user.email, exc.detail)
    except BadInput as exc:
        raise SignInRefused(
            "Kaitiaki's group-to-role settings name something that does not exist "
            f"({exc.detail}). Tell an administrator."
        ) from exc


__all__ = ["AccountRules", "PROVIDER_ACTOR", "SignInRefused", "account_for", "parse_group_roles"]
