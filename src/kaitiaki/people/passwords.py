"""Password hashing with Argon2id.

The cost comes from the settings (`KAITIAKI_PASSWORD_HASH_*`); the defaults are argon2-cffi's
recommended parameters (RFC 9106, low-memory profile). The application factory and the command
line call `configure_hashing` with their settings; until then the defaults apply, so a forgotten
call can only make hashing slower, never weaker. A hash made with other parameters still verifies,
and `needs_rehash` reports it so the next sign-in upgrades it.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kaitiaki.config import Settings

DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_KIB = 64 * 1024
DEFAULT_PARALLELISM = 4


@cache
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


_hasher = _hasher_for(DEFAULT_TIME_COST, DEFAULT_MEMORY_KIB, DEFAULT_PARALLELISM)


def configure_hashing(settings: Settings) -> PasswordHasher:
    """Hash new passwords with the cost `settings` give, from now on, in this process."""
    global _hasher
    _hasher = _hasher_for(settings.password_hash_time_cost, settings.password_hash_memory_kib,
                          settings.password_hash_parallelism)
    return _hasher


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_as_if_known(password: str) -> None:
    """Spend the time verifying a password takes, for an address with no account, so that timing
    does not reveal who has one."""
    verify_password(_dummy_hash(_hasher), password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("kaitiaki-no-such-user-password")


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


__all__ = ["configure_hashing", "hash_password", "needs_rehash", "verify_as_if_known", "verify_password"]
