"""The scope parameter (RFC 6749 section 3.3): space-delimited scope-tokens."""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.token.oauth.errors import OAuthError

_SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")
# OpenID Connect scopes describe a user: a client acting for itself cannot ask for them.
USER_SCOPES = frozenset({"openid", "profile", "email", "phone", "address", "offline_access"})


def requested_scopes(requested: str, allowed: Iterable[str], default: Iterable[str]) -> list[str]:
    """The scopes a request asks for, each one the client may have; `default` when it names
    none. invalid_scope for a malformed parameter or a scope the client may not request."""
    if not requested.strip():
        return list(default)
    wanted = list(dict.fromkeys(requested.split()))
    if any(not _SCOPE_TOKEN.match(s) for s in wanted):
        raise OAuthError("invalid_scope", "the scope parameter is malformed")
    permitted = set(allowed)
    if any(s not in permitted for s in wanted):
        raise OAuthError("invalid_scope", "this client may not request these scopes")
    return wanted
