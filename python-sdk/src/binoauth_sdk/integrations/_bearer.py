"""What every integration shares: reading the bearer token and answering RFC 6750 errors."""

from __future__ import annotations

from dataclasses import dataclass

from binoauth_sdk.verifier import InsufficientScope, InvalidToken


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None when there is none."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@dataclass(frozen=True)
class Refusal:
    status: int
    headers: dict[str, str]
    body: dict[str, str]


def refusal(error: InvalidToken | None) -> Refusal:
    """401 with a Bearer challenge (no token, or an invalid one), 403 for a missing scope.
    The reason is the rule's short message: never the token, never a stack trace."""
    if error is None:
        return Refusal(401, {"WWW-Authenticate": "Bearer"}, {"error": "invalid_request",
                                                            "error_description": "a bearer token is required"})
    description = str(error).replace('"', "'")
    if isinstance(error, InsufficientScope):
        scope = " ".join(error.missing)
        return Refusal(403, {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
                       {"error": "insufficient_scope", "error_description": description})
    return Refusal(401, {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'},
                   {"error": "invalid_token", "error_description": description})
