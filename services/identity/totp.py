"""TOTP second factor (RFC 6238 over RFC 4226 HOTP) and recovery codes.

Parameters are the ones every authenticator app assumes: HMAC-SHA-1, 6 digits, 30 s steps.
Built on the standard library (the algorithm is a dozen lines); `verify` needs the matched
time step for replay protection, which a library would not hand back anyway.

Callers store, per user: the base32 secret, the last accepted time step (pass it back to
`verify`; persist the step it returns), and the SHA-256 hashes of unused recovery codes
(compare `recovery_code_hash(input)` to them and delete the one that matched: single use).
Every failed code counts against the account's lockout (services.identity.lockout)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import unicodedata
from datetime import datetime
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # accept the previous and the next code too (RFC 6238 section 5.2)
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA-1 block recommendation of RFC 4226 section 4

# Recovery codes: 12 symbols from an alphabet without look-alikes (no 0/o, 1/i/l, u/v is kept
# apart by dropping u): 30 symbols -> 12 * log2(30) = 58.9 bits each, shown as xxxx-xxxx-xxxx.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstvwxyz"
RECOVERY_LENGTH = 12
RECOVERY_GROUP = 4


def new_secret() -> str:
    """A fresh 160-bit secret, base32 without padding (32 characters), as apps expect."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _secret_bytes(secret: str) -> bytes:
    """Decodes a base32 secret (case and spaces ignored); ValueError if it is not base32."""
    cleaned = "".join(secret.split()).upper().rstrip("=")
    if not cleaned:
        raise ValueError("empty TOTP secret")
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    """The Key URI that authenticator apps read from a QR code
    (otpauth://totp/Issuer:account?secret=...&issuer=...). Label parts and parameters are
    percent-encoded (space as %20, a ':' inside issuer or account as %3A); the `issuer`
    parameter names the issuer unambiguously for apps that split the label."""
    _secret_bytes(secret)  # refuse a malformed secret here rather than in the app
    label = f"{quote(issuer, safe='')}:{quote(account, safe='')}" if issuer else quote(account, safe="")
    params = {"secret": "".join(secret.split()).upper().rstrip("=")}
    if issuer:
        params["issuer"] = issuer
    params.update(algorithm="SHA1", digits=str(DIGITS), period=str(STEP_SECONDS))
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def time_step(at: datetime) -> int:
    """The RFC 6238 counter T for a moment (which must carry its time zone)."""
    if at.tzinfo is None:
        raise ValueError("TOTP needs an aware datetime")
    return int(at.timestamp()) // STEP_SECONDS


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 HOTP value of `counter`, zero-padded to `digits`."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def code_at(secret: str, at: datetime) -> str:
    """The code an app shows at `at` (for tests and enrollment checks)."""
    return hotp(_secret_bytes(secret), time_step(at))


def verify(secret: str, code: str, at: datetime, last_used_step: int | None) -> int | None:
    """The time step `code` belongs to (within +-1 step of `at`), or None.

    Refuses steps <= last_used_step, so a code (or an older one) is accepted once; store the
    returned step. Spaces in the code are ignored; anything but exactly 6 ASCII digits fails.
    Every candidate step is compared in constant time, without stopping at the first match."""
    cleaned = "".join(code.split())
    if len(cleaned) != DIGITS or not (cleaned.isascii() and cleaned.isdigit()):
        return None
    key = _secret_bytes(secret)
    now = time_step(at)
    matched: int | None = None
    for step in range(max(0, now - DRIFT_STEPS), now + DRIFT_STEPS + 1):
        equal = hmac.compare_digest(hotp(key, step), cleaned)
        fresh = last_used_step is None or step > last_used_step
        if equal and fresh and matched is None:
            matched = step
    return matched


def new_recovery_codes(n: int = 10) -> list[str]:
    """`n` distinct single-use codes like `7kq4-m2xr-9dfa` (58.9 bits each)."""
    codes: set[str] = set()
    while len(codes) < n:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.add("-".join(raw[i:i + RECOVERY_GROUP] for i in range(0, RECOVERY_LENGTH, RECOVERY_GROUP)))
    return sorted(codes)


def normalize_recovery_code(code: str) -> str:
    """What the user typed, without case, dashes or spaces (full-width forms folded by NFKC)."""
    folded = unicodedata.normalize("NFKC", code).lower()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-\u2010\u2011\u2012\u2013\u2014\u2212")


def recovery_code_hash(code: str) -> bytes:
    """SHA-256 of the normalised code: enough for ~59-bit random codes (no salt or slow hash
    needed, nothing to brute force offline), and lets the caller look the code up directly."""
    return hashlib.sha256(normalize_recovery_code(code).encode("utf-8")).digest()
