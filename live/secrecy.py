"""Encryption of a drill's sealed scenario at rest, and the in-memory key ring.

A drill's content (the sealed scenario, the drawn real start) is stored encrypted with
AES-256-GCM (``cryptography``'s AEAD, which also authenticates: a changed byte fails to
decrypt). The key is derived from the drill's passphrase with scrypt (salt per drill, stored
beside the ciphertext; n = 2**15, r = 8, p = 1, ~32 MiB and ~0.1 s per derivation). The
passphrase and the key are never stored: a running service keeps the key in a
:class:`KeyRing` in memory only, and after a restart the director unlocks the drill again.
The drill id is bound into each ciphertext as associated data, so a blob cannot be moved to
another drill.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
#: a passphrase shorter than this is refused when a drill is imported.
MIN_PASSPHRASE = 10


class WrongPassphrase(Exception):
    """The passphrase does not decrypt the drill (or the ciphertext was changed)."""


def new_salt() -> bytes:
    """16 random bytes for a drill's key derivation."""
    return os.urandom(16)


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """A 256-bit key from ``passphrase`` with scrypt."""
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def encrypt(key: bytes, plaintext: bytes, context: str) -> tuple[bytes, bytes]:
    """``(nonce, ciphertext)`` of ``plaintext`` under ``key``, bound to ``context``."""
    nonce = os.urandom(12)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, context.encode("utf-8"))


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, context: str) -> bytes:
    """The plaintext, or :class:`WrongPassphrase` if the key or the bytes are wrong."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, context.encode("utf-8"))
    except InvalidTag:
        raise WrongPassphrase("wrong passphrase (or the stored scenario was changed)") from None


@dataclass(frozen=True)
class Unlocked:
    """What an unlocked drill holds in memory: its key and its decrypted sealed document."""

    key: bytes
    sealed: bytes


class KeyRing:
    """Unlocked drills of one running service, in memory only (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, Unlocked] = {}

    def put(self, drill: str, item: Unlocked) -> None:
        """Remember an unlocked drill."""
        with self._lock:
            self._items[drill] = item

    def get(self, drill: str) -> Unlocked | None:
        """The unlocked drill, or None if it is locked."""
        with self._lock:
            return self._items.get(drill)

    def forget(self, drill: str) -> None:
        """Lock the drill again (drop its key from memory)."""
        with self._lock:
            self._items.pop(drill, None)
