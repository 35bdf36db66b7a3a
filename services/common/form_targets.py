"""Which application origin a hosted sign-in form may lead to (CSP `form-action`).

Chromium applies form-action to the redirects that follow a form submission, so the sign-in
form (POST /login -> 303 /oauth2/authorize -> 302 the application's redirect_uri) needs the
application's origin in its form-action, or the browser stops at the last hop. The hosted
pages (identity service) must not add an origin from the URL as is: form-action is what stops
an injected form from sending the password elsewhere. Only the token service knows a client's
redirect URIs, and it has checked client_id + redirect_uri when it sends the browser to sign
in; so it vouches for that redirect URI's origin in the authorization request it sends the
browser back to (the login page's return_to), as one extra parameter:

    redirect_origin = <expiry, unix seconds>.<MAC>.<origin>

MAC = HMAC-SHA256(key, tenant id, client id, origin, expiry), with a key both services derive
(HKDF, its own label) from BINOAUTH_KEY_ENCRYPTION_KEY, like the CSRF key. The hosted pages
add the origin only when the MAC verifies for their tenant and the client_id of the same
return_to, and the expiry has not passed; anything else (tampered, another tenant's or
client's, expired, malformed) adds nothing. A MAC rather than a lookup: no new internal RPC,
and the value travels with return_to wherever the pages already carry it (forms, the magic
link's mail, a federated sign-in's state). The authorization endpoint ignores the parameter
(unknown parameters of protocol endpoints are ignored, RFC 6749 3.1)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Final
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.common.settings import Secret, SettingsError

PARAMETER: Final = "redirect_origin"
AUTHORIZE_PATH: Final = "/oauth2/authorize"
# Long enough for any sign-in (an emailed link, a round trip to an external provider), short
# enough that an origin removed from the client's registration stops being allowed soon.
LIFETIME_SECONDS: Final = 24 * 3600
_UNSAFE: Final = frozenset(" ;,'\"\\\r\n\t")


def derive_key(key_encryption_key: Secret) -> bytes:
    """The MAC key, the same in every service of one deployment. No fallback without a KEK
    (unlike the CSRF key): a publicly known key would let anyone widen form-action. Both
    services refuse to start without one anyway (SecretBox)."""
    material = key_encryption_key.reveal().encode()
    if not material:
        raise SettingsError("BINOAUTH_KEY_ENCRYPTION_KEY is required (hosted forms' CSP form-action)")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"binoauth:form-target").derive(material)


def origin_of(uri: str) -> str:
    """The CSP source of a redirect URI: "scheme://host[:port]", or "scheme:" for a private-use
    scheme (native apps); "" when it has none or it would not be one clean source."""
    parts = urlsplit(uri)
    if not parts.scheme:
        return ""
    source = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"
    return "" if any(c in _UNSAFE for c in source) or not source.isascii() else source


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FormTargets:
    def __init__(self, key: bytes, clock: Callable[[], datetime]) -> None:
        if len(key) < 16:
            raise ValueError("the form-target key is too short")
        self._key = key
        self._clock = clock

    def _mac(self, tenant_id: str, client_id: str, origin: str, expiry: int) -> str:
        message = "\x00".join(("form-target", tenant_id, client_id, origin, str(expiry))).encode()
        return _b64(hmac.new(self._key, message, hashlib.sha256).digest())

    def vouch(self, tenant_id: str, client_id: str, redirect_uri: str) -> dict[str, str]:
        """The parameter to add to the authorization request the browser returns to (call it
        only with a redirect URI validated for this client); {} when it has no origin."""
        origin = origin_of(redirect_uri)
        if not origin:
            return {}
        expiry = int(self._clock().timestamp()) + LIFETIME_SECONDS
        return {PARAMETER: f"{expiry}.{self._mac(tenant_id, client_id, origin, expiry)}.{origin}"}

    def origin(self, tenant_id: str, return_to: str) -> str:
        """The origin `return_to` (a tenant-relative authorization request) carries a valid
        voucher for, else ""."""
        parts = urlsplit(return_to)
        if parts.path != AUTHORIZE_PATH:
            return ""
        query = parse_qs(parts.query)
        values, clients = query.get(PARAMETER, []), query.get("client_id", [])
        if len(values) != 1 or len(clients) != 1:
            return ""
        expiry, _, rest = values[0].partition(".")
        mac, _, origin = rest.partition(".")
        if not (expiry.isascii() and expiry.isdigit() and len(expiry) <= 12) or not mac or not origin:
            return ""
        if int(expiry) < self._clock().timestamp() or origin_of(origin) != origin:
            return ""
        if not hmac.compare_digest(mac, self._mac(tenant_id, clients[0], origin, int(expiry))):
            return ""
        return origin
