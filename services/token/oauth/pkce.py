"""RFC 7636 PKCE: S256 only (plain is refused, RFC 9700)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def valid_challenge(challenge: str) -> bool:
    return bool(_VALUE.match(challenge))


def verifier_matches(verifier: str, challenge: str) -> bool:
    if not _VALUE.match(verifier):
        return False
    computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return hmac.compare_digest(computed, challenge)
