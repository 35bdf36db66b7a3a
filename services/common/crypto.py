"""Encryption at rest for the few secrets that must be read back (TOTP seeds, signing keys).

AES-256-GCM with a key derived (HKDF-SHA256) from the configured key-encryption key and a
purpose label, so one KEK serves several uses without key reuse across them."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.common.settings import Secret, SettingsError

_VERSION = b"\x01"


class SecretBox:
    def __init__(self, key_encryption_key: Secret, purpose: str) -> None:
        if len(key_encryption_key.reveal()) < 32:
            raise SettingsError("BINOAUTH_KEY_ENCRYPTION_KEY must be at least 32 characters")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=f"binoauth:{purpose}".encode()).derive(key_encryption_key.reveal().encode())
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: str) -> bytes:
        """`context` (for example tenant and user id) is authenticated: a sealed value copied
        to another row does not open there."""
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def open(self, sealed: bytes, context: str) -> bytes:
        if not sealed.startswith(_VERSION) or len(sealed) < 29:
            raise ValueError("not a sealed value")
        return self._aead.decrypt(sealed[1:13], sealed[13:], context.encode())
