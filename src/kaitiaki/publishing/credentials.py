"""Platform credentials at rest: Fernet (AES-128-CBC with HMAC-SHA256) under
KAITIAKI_CONNECTION_KEY. Outside production a key is generated once and kept in
<var_dir>/connection_key, as the session key is; production refuses to start without one once a
channel is connected (kaitiaki.publishing.connections.refuse_without_key). `cryptography` is
imported when a credential is first stored or read, not when a serving worker starts
(docs/performance.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kaitiaki.config import Settings, SettingsError

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

CONNECTION_KEY_FILE = "connection_key"


def _fernet(settings: Settings) -> Fernet:
    from cryptography.fernet import Fernet

    key = settings.connection_key or _development_key(settings)
    try:
        return Fernet(key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise SettingsError("KAITIAKI_CONNECTION_KEY is not a Fernet key (32 bytes, url-safe "
                            "base64); generate one with `python -c \"from cryptography.fernet "
                            "import Fernet; print(Fernet.generate_key().decode())\"`.") from error


def _development_key(settings: Settings) -> str:
    if settings.env == "production":
        raise SettingsError("KAITIAKI_CONNECTION_KEY is required in production to store or use a "
                            "channel's platform credentials.")
    path: Path = settings.var_dir / CONNECTION_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two processes starting at once must not each write a different key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode("ascii")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def encrypt(settings: Settings, secret: str) -> str:
    return _fernet(settings).encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(settings: Settings, token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(settings).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise SettingsError("A channel's credentials cannot be read with this "
                            "KAITIAKI_CONNECTION_KEY (was the key changed?); connect the channel "
                            "again.") from error


__all__ = ["CONNECTION_KEY_FILE", "decrypt", "encrypt"]
