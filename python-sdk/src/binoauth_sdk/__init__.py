"""BinoAuth for Python: `binoauth_sdk.admin` (the admin API client generated from the OpenAPI
document), `TokenVerifier` (a resource server's check of access tokens, on the platform's own
rules) with Starlette/FastAPI and Django integrations, and the `binoauth` CLI."""

from binoauth_sdk.verifier import AccessToken, InsufficientScope, Introspection, InvalidToken, JwksCache, TokenVerifier

__version__ = "0.1.0"
__all__ = ["AccessToken", "InsufficientScope", "Introspection", "InvalidToken", "JwksCache", "TokenVerifier",
           "__version__"]
