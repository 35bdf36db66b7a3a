"""The issuer's metadata: RFC 8414 (authorization server) and OpenID Connect Discovery 1.0.
Every field says exactly what this issuer does; tests/e2e/test_oauth_conformance.py checks
each advertised value works and a value left out is refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from services.token.applications.model import DEVICE_CODE
from services.token.oauth.authorize import PROMPTS, RESPONSE_MODES, RESPONSE_TYPES
from services.token.oauth.client_auth import CONFIDENTIAL_METHODS, PUBLIC_METHOD, SIGNING_ALGORITHMS
from services.token.oauth.issuer import ID_TOKEN_ALGORITHM
from services.token.oauth.platform import SCOPE_CLAIMS

SCOPES: Final = ("openid", "profile", "email", "phone", "offline_access")
ID_TOKEN_CLAIMS: Final = ("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "at_hash", "azp")
USER_CLAIMS: Final = tuple(dict.fromkeys(claim for claims in SCOPE_CLAIMS.values() for claim in claims))


class Discovery:
    def __init__(self, issuer_for: Callable[[str], str], grant_types: Sequence[str]) -> None:
        self._issuer_for = issuer_for
        self._grant_types = list(grant_types)

    def metadata(self, tenant_id: str) -> dict[str, Any]:
        issuer = self._issuer_for(tenant_id)
        signing = {f"{endpoint}_endpoint_auth_signing_alg_values_supported": list(SIGNING_ALGORITHMS)
                   for endpoint in ("token", "introspection", "revocation")}
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oauth2/authorize",
            "token_endpoint": f"{issuer}/oauth2/token",
            "userinfo_endpoint": f"{issuer}/oauth2/userinfo",
            "jwks_uri": f"{issuer}/.well-known/jwks.json",
            "introspection_endpoint": f"{issuer}/oauth2/introspect",
            "revocation_endpoint": f"{issuer}/oauth2/revoke",
            "end_session_endpoint": f"{issuer}/oauth2/logout",
            **({"device_authorization_endpoint": f"{issuer}/oauth2/device_authorization"}
               if DEVICE_CODE in self._grant_types else {}),
            "response_types_supported": list(RESPONSE_TYPES),
            "response_modes_supported": list(RESPONSE_MODES),
            "grant_types_supported": self._grant_types,
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ID_TOKEN_ALGORITHM],
            "scopes_supported": list(SCOPES),
            # Public clients (code and device flows) authenticate with their client_id alone:
            # at the token and revocation endpoints, never at introspection.
            "token_endpoint_auth_methods_supported": [*CONFIDENTIAL_METHODS, PUBLIC_METHOD],
            "revocation_endpoint_auth_methods_supported": [*CONFIDENTIAL_METHODS, PUBLIC_METHOD],
            "introspection_endpoint_auth_methods_supported": list(CONFIDENTIAL_METHODS),
            **signing,
            "claims_supported": [*ID_TOKEN_CLAIMS, *USER_CLAIMS],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
            "prompt_values_supported": sorted(PROMPTS),
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
        }
