"""CSRF protection of the hosted forms: an HMAC-bound double-submit cookie.

The browser holds a random `binoauth_csrf` cookie (HttpOnly, SameSite=Strict, scoped to the
tenant's path like the session cookie); every form carries `csrf_token` =
HMAC-SHA256(key, tenant id + cookie value). A POST passes only when the cookie is present
and the field equals the HMAC of that cookie for this tenant:

* a cross-site form POST carries no cookie (SameSite=Strict) and the attacker cannot read
  the field of the victim's page;
* a cookie planted from a sibling subdomain is useless without the server key (the field
  cannot be computed for it), and a pair copied from one tenant fails on another.

The key is derived (HKDF) from BINOAUTH_KEY_ENCRYPTION_KEY so every replica agrees."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from http.cookies import CookieError, SimpleCookie

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.common.settings import Secret

CSRF_COOKIE = "binoauth_csrf"
CSRF_FIELD = "csrf_token"
_COOKIE_BYTES = 32
_COOKIE_LEN = 43  # base64url of 32 bytes, without padding


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def derive_key(key_encryption_key: Secret) -> bytes:
    """The CSRF HMAC key. Without a configured KEK (development only) the key is a fixed
    constant: the check then still needs the cookie, which only our own pages can read."""
    material = key_encryption_key.reveal().encode() or b"binoauth-unkeyed-development-csrf"
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"binoauth:csrf").derive(material)


def well_formed(value: str) -> bool:
    if len(value) != _COOKIE_LEN:
        return False
    try:
        return len(base64.urlsafe_b64decode(value + "=")) == _COOKIE_BYTES
    except ValueError:
        return False


def cookie_from_header(cookie_header: str) -> str:
    """The request's CSRF cookie value, or "" when absent or malformed."""
    try:
        jar = SimpleCookie(cookie_header)
    except CookieError:
        return ""
    morsel = jar.get(CSRF_COOKIE)
    value = morsel.value if morsel else ""
    return value if well_formed(value) else ""


class CsrfTokens:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the CSRF key is too short")
        self._key = key

    @staticmethod
    def new_cookie() -> str:
        return _b64(secrets.token_bytes(_COOKIE_BYTES))

    def token_for(self, tenant_id: str, cookie: str) -> str:
        mac = hmac.new(self._key, f"csrf\x00{tenant_id}\x00{cookie}".encode(), hashlib.sha256).digest()
        return _b64(mac)

    def for_form(self, tenant_id: str, cookie_header: str, secure: bool, path: str) -> tuple[str, str]:
        """(the form's token, a Set-Cookie header value or ""): reuses the browser's CSRF
        cookie, or starts one."""
        cookie = cookie_from_header(cookie_header)
        set_cookie = ""
        if not cookie:
            cookie = self.new_cookie()
            set_cookie = csrf_cookie_header(cookie, secure, path)
        return self.token_for(tenant_id, cookie), set_cookie

    def verify(self, tenant_id: str, cookie: str, token: str) -> bool:
        if not well_formed(cookie) or not token or len(token) > 128:
            return False
        return hmac.compare_digest(self.token_for(tenant_id, cookie).encode(), token.encode("utf-8", "replace"))


def csrf_cookie_header(value: str, secure: bool, path: str) -> str:
    attributes = [f"{CSRF_COOKIE}={value}", f"Path={path}", "HttpOnly", "SameSite=Strict"]
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)
