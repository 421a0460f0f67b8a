"""Who a person vouched for by the identity provider is in Kaitiaki (SQLite, and PostgreSQL when
configured): allowed domains, provisioning with no roles, deactivated accounts, group roles."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from kaitiaki.auth.oidc_accounts import AccountRules, SignInRefused, account_for, parse_group_roles
from kaitiaki.config import Settings, SettingsError
from kaitiaki.models import AuditEvent
from kaitiaki.people import queries
from kaitiaki.people.service import add_user, authenticate, deactivate, roles_of

DOMAIN = "agency.example.govt.nz"
ISSUER = "https://id.agency.example.govt.nz"
PASSWORD = "a-long-enough-password"


def rules(*, provision: bool = False, group_roles: str = "") -> AccountRules:
    return AccountRules(
        allowed_domains=frozenset({DOMAIN}),
        provision=provision,
        group_claim="groups" if group_roles else None,
        group_roles=parse_group_roles(group_roles),
    )


def person(email: str = f"aroha@{DOMAIN}", **extra: object) -> dict:
    return {"iss": ISSUER, "sub": "u-1", "email": email, "name": "Aroha Advisor", **extra}


def test_an_existing_account_is_matched_by_email_whatever_its_case(session: Session):
    existing = add_user(
        session,
        email=f"aroha@{DOMAIN}",
        name="Aroha",
        password=PASSWORD,
        roles=["comms_staff"],
        actor="test",
    )
    user = account_for(session, person(email=f"Aroha@{DOMAIN.upper()}"), rules())
    assert user.id == existing.id
    assert roles_of(session, user) == [("comms_staff", None)]  # roles stay Kaitiaki's


def test_an_email_domain_that_is_not_allowed_is_refused(session: Session):
    with pytest.raises(SignInRefused, match="Accounts from elsewhere.example.com cannot sign in"):
        account_for(session, person(email="aroha@elsewhere.example.com"), rules(provision=True))
    assert queries.get_user_by_email(session, "aroha@elsewhere.example.com") is None


def test_a_lookalike_subdomain_is_not_the_allowed_domain(session: Session):
    with pytest.raises(SignInRefused):
        account_for(session, person(email=f"aroha@evil{DOMAIN}"), rules(provision=True))


def test_provisioning_creates_the_person_with_no_roles(session: Session):
    user = account_for(session, person(), rules(provision=True))
    assert user.email == f"aroha@{DOMAIN}"
    assert user.name == "Aroha Advisor"
    assert user.is_active
    assert roles_of(session, user) == []
    event = session.query(AuditEvent).filter_by(action="user.created").one()
    assert event.actor == "identity provider"
    # The account has no usable password: nobody knows the random one it was given.
    assert authenticate(session, user.email, "") is None


def test_without_provisioning_an_unknown_person_is_refused(session: Session):
    with pytest.raises(SignInRefused, match="There is no Kaitiaki account for aroha@"):
        account_for(session, person(), rules(provision=False))
    assert queries.get_user_by_email(session, f"aroha@{DOMAIN}") is None


def test_a_deactivated_kaitiaki_account_cannot_sign_in(session: Session):
    add_user(
        session,
        email=f"admin@{DOMAIN}",
        name="Admin",
        password=PASSWORD,
        roles=["admin"],
        actor="test",
    )
    add_user(
        session, email=f"aroha@{DOMAIN}", name="Aroha", password=PASSWORD, roles=[], actor="test"
    )
    deactivate(session, email=f"aroha@{DOMAIN}", actor="test")
    with pytest.raises(SignInRefused, match="has been deactivated"):
        account_for(session, person(), rules(provision=True))


def test_missing_or_unverified_email_is_refused(session: Session):
    with pytest.raises(SignInRefused, match="did not share your email address"):
        account_for(session, {"sub": "u-1"}, rules(provision=True))
    with pytest.raises(SignInRefused, match="has not verified"):
        account_for(session, person(email_verified=False), rules(provision=True))


def test_group_roles_set_exactly_the_roles_of_the_groups(session: Session):
    mapping = "g-comms=comms_staff,g-records=records_officer,g-comms=staff"
    user = account_for(
        session, person(groups=["g-comms", "g-other"]), rules(provision=True, group_roles=mapping)
    )
    assert sorted(roles_of(session, user)) == [("comms_staff", None), ("staff", None)]
    user = account_for(session, person(groups=["g-records"]), rules(group_roles=mapping))
    assert roles_of(session, user) == [("records_officer", None)]


def test_group_roles_never_remove_the_last_administrator(session: Session):
    add_user(
        session,
        email=f"aroha@{DOMAIN}",
        name="Aroha",
        password=PASSWORD,
        roles=["admin"],
        actor="test",
    )
    user = account_for(session, person(groups=[]), rules(group_roles="g-comms=comms_staff"))
    assert roles_of(session, user) == [("admin", None)]


def test_bad_group_role_settings_stop_start_up():
    with pytest.raises(SettingsError, match="Unknown role 'chief'"):
        parse_group_roles("g1=chief")
    with pytest.raises(SettingsError, match="is not group=role"):
        parse_group_roles("g1")
    settings = Settings(
        env="test",
        oidc_issuer="https://id.example.govt.nz",
        oidc_client_id="k",
        oidc_allowed_email_domains=DOMAIN,
        oidc_group_roles="g1=admin",
    )
    with pytest.raises(SettingsError, match="KAITIAKI_OIDC_GROUP_CLAIM"):
        AccountRules.from_settings(settings)
    with pytest.raises(SettingsError, match="KAITIAKI_OIDC_ALLOWED_EMAIL_DOMAINS is required"):
        AccountRules.from_settings(settings.model_copy(update={"oidc_allowed_email_domains": ""}))


def test_the_first_sign_in_links_the_account_to_the_subject_then_the_subject_finds_it(
    session: Session,
):
    existing = add_user(session, email=f"aroha@{DOMAIN}", name="Aroha", password=PASSWORD,
                        roles=[], actor="test")
    assert account_for(session, person(), rules()).id == existing.id
    assert (existing.oidc_issuer, existing.oidc_subject) == (ISSUER, "u-1")
    # Her address changes at the provider: the same account, no new one.
    renamed = account_for(session, person(email=f"aroha.advisor@{DOMAIN}"), rules(provision=True))
    assert renamed.id == existing.id
    assert queries.get_user_by_email(session, f"aroha.advisor@{DOMAIN}") is None


def test_another_subject_claiming_a_linked_email_is_refused(session: Session):
    add_user(session, email=f"aroha@{DOMAIN}", name="Aroha", password=PASSWORD, roles=[],
             actor="test")
    account_for(session, person(), rules())
    with pytest.raises(SignInRefused, match="belongs to another person at your identity provider"):
        account_for(session, person(sub="u-2"), rules(provision=True))
    # The same subject at another issuer is another person too.
    with pytest.raises(SignInRefused, match="belongs to another person"):
        account_for(session, person(iss="https://other.example.govt.nz"), rules())


def test_a_provisioned_account_is_linked_to_its_subject(session: Session):
    user = account_for(session, person(sub="u-new"), rules(provision=True))
    assert (user.oidc_issuer, user.oidc_subject) == (ISSUER, "u-new")
