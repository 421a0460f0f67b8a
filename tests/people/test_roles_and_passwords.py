from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from kaitiaki.common.roles import ROLES, format_role_spec, parse_role_spec
from kaitiaki.config import Settings
from kaitiaki.errors import BadInput
from kaitiaki.people.passwords import (
    configure_hashing,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_every_role_of_the_policy_is_known():
    assert set(ROLES) == {
        "admin", "comms_staff", "staff", "director_strategic_comms", "elt_member",
        "nema_chief_executive", "nema_comms_manager", "records_officer",
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("admin", ("admin", None)),
        ("elt_member@DPMC-SGE", ("elt_member", "DPMC-SGE")),
        (" elt_member@dpmc-gh ", ("elt_member", "DPMC-GH")),
        ("nema_chief_executive", ("nema_chief_executive", None)),
    ],
)
def test_parse_role_spec(spec, expected):
    assert parse_role_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("superuser", "Unknown role 'superuser'"),
        ("elt_member", "needs a business unit"),
        ("elt_member@", "needs a business unit"),
        ("admin@DPMC", "takes no unit"),
    ],
)
def test_parse_role_spec_rejects_bad_specs(spec, message):
    with pytest.raises(BadInput, match=message):
        parse_role_spec(spec)


def test_format_role_spec_round_trips():
    assert format_role_spec(*parse_role_spec("elt_member@DPMC-SGE")) == "elt_member@DPMC-SGE"
    assert format_role_spec("staff", None) == "staff"


def test_password_hashes_are_argon2_and_verify():
    hashed = hash_password("a long enough password")
    assert hashed.startswith("$argon2id$")
    assert hashed != hash_password("a long enough password")  # salted
    assert verify_password(hashed, "a long enough password")
    assert not verify_password(hashed, "a long enough passworD")
    assert not verify_password("not a hash", "anything")
    assert not needs_rehash(hashed)
    assert needs_rehash("not a hash")


@pytest.fixture
def default_hashing_cost(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hashing at the cost a deployment gets when it sets nothing; the tests' cost afterwards."""
    tests_cost = Settings()
    for name in list(os.environ):
        if name.startswith("KAITIAKI_PASSWORD_HASH_"):
            monkeypatch.delenv(name)
    configure_hashing(Settings())
    yield
    configure_hashing(tests_cost)


def test_production_hashing_cost_is_argon2_cffi_recommended(default_hashing_cost):
    recommended = PasswordHasher()
    hashed = hash_password("a long enough password")
    assert hashed.startswith(
        f"$argon2id$v=19$m={recommended.memory_cost},t={recommended.time_cost},"
        f"p={recommended.parallelism}$"
    )
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(hashed, "a long enough password")
    assert not needs_rehash(hashed)


def test_a_hash_of_another_cost_verifies_and_asks_to_be_remade():
    cheaper = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash("a long enough password")
    assert verify_password(cheaper, "a long enough password")
    assert needs_rehash(cheaper)
