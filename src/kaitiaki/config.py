"""Settings, read from the environment (prefix KAITIAKI_). Every setting has a default and help
text; docs/configuration.md lists them all and a test keeps that list complete."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kaitiaki.errors import AppError
from kaitiaki.folders import DEFAULT_VAR_DIR, ENV_PREFIX, cache_folder

SECRET_KEY_FILE = "secret_key"
_LOOPBACK_HTTP = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d+)?(/|$)")
MIN_SECRET_KEY_LENGTH = 32


class SettingsError(AppError):
    """A setting is missing or unusable; the message names the environment variable to fix."""

    status_code = 500
    code = "settings_error"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    env: Literal["development", "production", "test"] = Field(
        "development",
        description="Where Kaitiaki runs: development, production or test. Production requires an "
        "explicit secret key.",
    )
    database_url: str = Field(
        "sqlite:///./var/kaitiaki.db",
        description="SQLAlchemy database URL. The default is a SQLite file under ./var/; for "
        "PostgreSQL use postgresql+psycopg://user:password@host:5432/dbname.",
    )
    secret_key: str | None = Field(
        None,
        repr=False,
        description="Key that signs session cookies and CSRF tokens (at least 32 characters). "
        "Required in production; in development it is generated once and kept in "
        "<var_dir>/secret_key.",
    )
    connection_key: str | None = Field(
        None,
        repr=False,
        description="Fernet key that encrypts the platform credentials of channel connections "
        "(app passwords, access tokens). Required in production once a channel is connected; in "
        "development it is generated once and kept in <var_dir>/connection_key. Generate one "
        "with `python -c \"from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())\"`. Losing it means connecting each channel again.",
    )
    var_dir: Path = Field(
        DEFAULT_VAR_DIR,
        description="Folder for local state such as the generated secret key (the SQLite file's "
        "place is part of the database URL).",
    )
    cache_dir: str | None = Field(
        None,
        description="Folder for caches that only save time, such as parsed policy pack files. "
        "Unset: <var_dir>/cache; an empty value turns caching off. Deleting it is always safe.",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web server listens on.")
    policy_pack: str = Field("dpmc", description="Name of the policy pack to load.")
    timezone: str = Field(
        "Pacific/Auckland",
        description="Time zone in which times are shown (they are stored in UTC).",
    )
    smtp_host: str | None = Field(
        None, description="SMTP server for outgoing email. Unset: email is off."
    )
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP server port.")
    smtp_username: str | None = Field(
        None, description="SMTP user name, when the server requires authentication."
    )
    smtp_password: str | None = Field(
        None, repr=False, description="SMTP password, when the server requires authentication."
    )
    smtp_from: str = Field(
        "kaitiaki@localhost", description="Sender address of the email Kaitiaki sends."
    )
    smtp_starttls: bool = Field(
        False, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    session_max_age_seconds: int = Field(
        28800, ge=60,
        description="How long a sign-in lasts at most, in seconds, however active the person is "
        "(the absolute timeout); then they sign in again.",
    )
    session_idle_timeout_seconds: int = Field(
        3600, ge=60,
        description="How long a sign-in lasts without any request, in seconds (the idle "
        "timeout), measured to the minute.",
    )
    rate_limit_storage: str = Field(
        "memory://",
        description="Where per-client request counts are kept: memory:// counts in each worker "
        "process (the limits below then apply per worker); redis://host:6379/0 shares one count "
        "between all workers and servers.",
    )
    rate_limit_check_api: str = Field(
        "20/minute",
        description="Requests one client address may make to the check API without an API token, "
        'in the `limits` notation ("20/minute", several separated by ";": "20/minute;200/hour"). '
        "Beyond it: 429 with Retry-After.",
    )
    rate_limit_complaint_form: str = Field(
        "10/minute;60/hour",
        description="Submissions of the public complaint form one client address may make.",
    )
    rate_limit_sign_in: str = Field(
        "30/minute",
        description="Sign-in attempts (password and password-reset requests) one client address "
        "may make, in addition to the failure throttles above.",
    )
    password_reset_minutes: int = Field(
        30, ge=5, le=24 * 60,
        description="How long a password reset link sent by email works, in minutes. It works "
        "once, and a newer request replaces it.",
    )
    login_max_failures: int = Field(
        5,
        ge=1,
        description="Failed sign-ins allowed per account (email address) within the login window "
        "before further attempts for it are refused.",
    )
    login_max_failures_per_address: int = Field(
        50,
        ge=1,
        description="Failed sign-ins allowed from one client address within the login window, "
        "whatever the account. Higher than the per-account limit: a whole office may sign in "
        "through one address.",
    )
    login_window_seconds: int = Field(
        300, ge=1, description="Length of the sign-in throttling window, in seconds."
    )
    password_min_length: int = Field(
        12, ge=8, le=1024, description="Minimum length of a user's password."
    )
    # Defaults: argon2-cffi's recommended Argon2id parameters (RFC 9106, low-memory profile).
    password_hash_time_cost: int = Field(
        3, ge=1, le=100,
        description="Argon2id passes over memory when hashing a password. Raising it (or the "
        "memory) makes each sign-in slower and guessing stolen hashes harder; existing hashes "
        "are upgraded at their owner's next sign-in.",
    )
    password_hash_memory_kib: int = Field(
        65536, ge=8, le=4 * 1024 * 1024,
        description="Memory Argon2id uses per password hash, in KiB (65536 is 64 MiB).",
    )
    password_hash_parallelism: int = Field(
        4, ge=1, le=64, description="Argon2id lanes (threads) per password hash."
    )
    base_url: str = Field(
        "http://127.0.0.1:8000",
        description="Public address of the web interface, used in links in email.",
    )
    max_request_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        description="Largest request body the web server accepts, in bytes (file uploads have "
        "KAITIAKI_IMPORT_MAX_BYTES instead); a larger one is answered 413 before it is read.",
    )
    import_max_bytes: int = Field(
        64 * 1024 * 1024,
        ge=1024,
        description="Largest comment file `kaitiaki comments import` and the import page accept, "
        "in bytes; a larger file is refused before it is read.",
    )

    password_sign_in: bool = Field(
        True,
        description="Whether people can sign in with a Kaitiaki password. Turn it off when "
        "everyone signs in through the agency's identity provider (KAITIAKI_OIDC_ISSUER): the "
        "password form disappears and password sign-in is refused.",
    )
    oidc_issuer: str | None = Field(
        None,
        description="Issuer URL of the agency's OpenID Connect identity provider, exactly as it "
        "appears in its tokens (Microsoft Entra ID: https://login.microsoftonline.com/<tenant "
        "id>/v2.0). Unset: no single sign-on.",
    )
    oidc_client_id: str | None = Field(
        None, description="Client (application) id Kaitiaki has at the identity provider."
    )
    oidc_client_secret: str | None = Field(
        None,
        repr=False,
        description="Client secret Kaitiaki has at the identity provider. Unset: a public client "
        "(PKCE only).",
    )
    oidc_scopes: str = Field(
        "openid email profile",
        description="Scopes asked of the identity provider, separated by spaces; openid is always "
        "included.",
    )
    oidc_allowed_email_domains: str = Field(
        "",
        description="Email domains (comma-separated) whose people may sign in through the "
        "identity provider, for example dpmc.govt.nz,nema.govt.nz. Required with "
        "KAITIAKI_OIDC_ISSUER.",
    )
    oidc_provision_users: bool = Field(
        False,
        description="Create a Kaitiaki account, with no roles, the first time someone from an "
        "allowed domain signs in through the identity provider. Off: only people who already "
        "have an account can sign in.",
    )
    oidc_group_claim: str | None = Field(
        None,
        description="Name of the ID token (or userinfo) claim that lists a person's groups, for "
        "example groups. Used with KAITIAKI_OIDC_GROUP_ROLES.",
    )
    oidc_group_roles: str = Field(
        "",
        description="Kaitiaki roles granted from groups, as group=role pairs separated by commas "
        "(for example 7f3c...=comms_staff,9a1d...=elt_member@DPMC-SGE). When set, each sign-in "
        "through the identity provider sets the person's roles to exactly those of their groups. "
        "Empty: roles are granted in Kaitiaki only.",
    )
    oidc_provider_name: str = Field(
        "your agency account",
        description='Name shown on the sign-in button: "Sign in with <name>".',
    )

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_is_https(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip().rstrip("/")
        # Plain http only on this machine (a local test provider): tokens must not cross a network
        # in the clear.
        if not (value.startswith("https://") or _LOOPBACK_HTTP.match(value)):
            raise ValueError(
                "the issuer must be an https:// URL (http:// only on 127.0.0.1 or localhost)"
            )
        return value

    @property
    def oidc_enabled(self) -> bool:
        return self.oidc_issuer is not None

    @property
    def oidc_email_domains(self) -> frozenset[str]:
        return frozenset(
            part.strip().lower().lstrip("@")
            for part in self.oidc_allowed_email_domains.split(",")
            if part.strip()
        )

    outbox_max_attempts: int = Field(
        8, ge=1, le=100,
        description="Attempts to deliver an email before it is marked dead and shown to "
        "administrators on the Outbox page.",
    )
    outbox_retry_base_seconds: int = Field(
        60, ge=1,
        description="Wait after the first failed delivery, in seconds; it doubles with each "
        "further attempt (at most six hours).",
    )
    jobs_in_process: bool = Field(
        True,
        description="On SQLite, `kaitiaki serve` runs the background jobs (outbox delivery, "
        "reminders, retention) in its own process. Turn off when `kaitiaki worker` runs them. "
        "Ignored on PostgreSQL, where `kaitiaki worker` runs them.",
    )
    reminder_hour: int = Field(
        8, ge=0, le=23,
        description="Hour of the day (in the configured time zone) from which each working "
        "day's reminders are sent.",
    )
    db_pool_size: int = Field(
        10, ge=1, le=1000,
        description="PostgreSQL connections each worker process keeps open. Every worker has its "
        "own pool: workers x (db_pool_size + db_pool_overflow) must stay below the server's "
        "max_connections, with room for other clients.",
    )
    db_pool_overflow: int = Field(
        5, ge=0, le=1000,
        description="Connections a worker may open beyond db_pool_size at busy moments (closed "
        "again when returned).",
    )
    db_pool_timeout_seconds: float = Field(
        5.0, gt=0, le=300,
        description="How long a request waits for a free database connection before it is "
        "answered 503 with Retry-After.",
    )
    sqlite_busy_timeout_ms: int = Field(
        5000, ge=0, le=600_000,
        description="SQLite only: how long a write waits for another writer to finish, in "
        "milliseconds, before the request is answered 503 with Retry-After.",
    )
    max_in_flight: int = Field(
        12, ge=1, le=10_000,
        description="Requests one worker process handles at once (the health check, static "
        "files and the check API not counted). Keep it below db_pool_size + db_pool_overflow so "
        "every admitted request gets a connection without waiting.",
    )
    admission_wait_seconds: float = Field(
        2.0, ge=0, le=60,
        description="How long a request beyond max_in_flight waits for a place before it is "
        "answered 503 with Retry-After. The wait holds no thread and no connection.",
    )
    check_api_max_in_flight: int = Field(
        4, ge=1, le=10_000,
        description="Requests to the anonymous check API (/api/v1/check) one worker handles at "
        "once; it needs no database but each request runs the checker on a thread.",
    )
    access_log: bool = Field(
        False,
        description="`kaitiaki serve` writes a line per request (uvicorn's access log). Off by "
        "default: at a thousand check requests a second the log line costs more than the check, "
        "and the reverse proxy in front usually keeps the access log.",
    )

    @model_validator(mode="after")
    def _in_flight_fits_the_pool(self) -> Settings:
        connections = self.db_pool_size + self.db_pool_overflow
        if self.max_in_flight > connections:
            raise ValueError(
                f"max_in_flight ({self.max_in_flight}) must not exceed db_pool_size + "
                f"db_pool_overflow ({connections}): admitted requests would wait for a connection"
            )
        return self

    @field_validator("rate_limit_check_api", "rate_limit_complaint_form", "rate_limit_sign_in")
    @classmethod
    def _rate_limit_parses(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f'not a rate limit such as "20/minute" or "20/minute;200/hour": '
                             f"{value!r}") from exc
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _rate_limit_storage_known(cls, value: str) -> str:
        if not value.startswith(("memory://", "redis://", "rediss://")):
            raise ValueError("must start with memory://, redis:// or rediss://")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_parses(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {mask_url(value)}") from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_exists(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def resolved_cache_dir(self) -> Path | None:
        """Where caches go; None when caching is off."""
        return cache_folder(self.cache_dir, self.var_dir)

    def masked_database_url(self) -> str:
        return mask_url(self.database_url)

    def resolved_secret_key(self) -> str:
        """The configured key; outside production a generated key kept in var_dir."""
        if self.secret_key:
            if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
                raise SettingsError(
                    f"KAITIAKI_SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long."
                )
            return self.secret_key
        if self.env == "production":
            raise SettingsError(
                "KAITIAKI_SECRET_KEY is required when KAITIAKI_ENV=production; generate one with "
                "`python -c \"import secrets; print(secrets.token_urlsafe(48))\"`."
            )
        return _read_or_create_secret_key(self.var_dir / SECRET_KEY_FILE)


def _read_or_create_secret_key(path: Path) -> str:
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_SECRET_KEY_LENGTH:
            return key
        raise SettingsError(f"The secret key in {path} is shorter than {MIN_SECRET_KEY_LENGTH} "
                            "characters; delete the file to generate a new one.")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_or_create_secret_key(path)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-z0-9+.-]+://[^:/@]*:)(?P<password>[^@]*)@", re.I)


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, safe to print and log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _PASSWORD_IN_URL.sub(r"\g<head>***@", url)


def get_settings() -> Settings:
    """Settings from the environment. Not cached: the owner of the app or command keeps one."""
    return Settings()


__all__ = [
    "Settings",
    "SettingsError",
    "get_settings",
    "mask_url",
]
