"""RFC 6749 section 5.2 errors: `{"error": ..., "error_description": ...}` with the RFC status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OAuthError(Exception):
    error: str
    description: str
    status: int = 400
    # Set for invalid_client on Basic authentication (RFC 6749 section 5.2: 401 + challenge).
    www_authenticate: str = ""

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def invalid_client(basic: bool) -> OAuthError:
    return OAuthError("invalid_client", "client authentication failed", 401,
                      'Basic realm="binoauth", charset="UTF-8"' if basic else "")
