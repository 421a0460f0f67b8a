from __future__ import annotations

import pytest

from kaitiaki.errors import BadInput
from kaitiaki.people.passwords import hash_password, needs_rehash, verify_password
from kaitiaki.people.roles import ROLES, format_role_spec, parse_role_spec


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
