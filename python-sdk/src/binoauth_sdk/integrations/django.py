"""Django. Django is imported only when the middleware is built or a view is called.

    # settings.py
    MIDDLEWARE = [..., "binoauth_sdk.integrations.django.BearerTokenMiddleware"]
    BINOAUTH = {"ISSUER": "https://auth.example.com/tenant/acme", "AUDIENCE": "https://api.example.com",
                "EXEMPT": ["/health"]}

    # views.py: request.access_token is the verified token
    @require_scopes("reports:read")
    def reports(request): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from binoauth_sdk.integrations._bearer import Refusal, bearer_token, refusal
from binoauth_sdk.verifier import InvalidToken, TokenVerifier


def verifier_from_settings(config: dict[str, Any]) -> TokenVerifier:
    return TokenVerifier(issuer=config["ISSUER"], audience=config["AUDIENCE"], scopes=config.get("SCOPES", ()),
                         leeway=config.get("LEEWAY", 30))


def _response(answer: Refusal) -> Any:
    from django.http import JsonResponse  # type: ignore[import-untyped]

    response = JsonResponse(answer.body, status=answer.status)
    for name, value in {**answer.headers, "Cache-Control": "no-store"}.items():
        response[name] = value
    return response


class BearerTokenMiddleware:
    """Verifies the bearer token of every request but the EXEMPT paths; sets
    `request.access_token`. Give `verifier=` to build it by hand, else settings.BINOAUTH."""

    def __init__(self, get_response: Callable[[Any], Any], verifier: TokenVerifier | None = None) -> None:
        if verifier is None:
            from django.conf import settings  # type: ignore[import-untyped]

            config = dict(settings.BINOAUTH)
            verifier = verifier_from_settings(config)
            self.exempt = frozenset(config.get("EXEMPT", ()))
        else:
            self.exempt = frozenset()
        self.get_response = get_response
        self.verifier = verifier

    def __call__(self, request: Any) -> Any:
        if request.path in self.exempt:
            return self.get_response(request)
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            return _response(refusal(None))
        try:
            request.access_token = self.verifier.verify(token)
        except InvalidToken as error:
            return _response(refusal(error))
        return self.get_response(request)


def require_scopes(*scopes: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: 403 insufficient_scope unless the middleware's token has `scopes`."""
    from binoauth_sdk._token_rules import missing_scopes
    from binoauth_sdk.verifier import InsufficientScope

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            token = getattr(request, "access_token", None)
            if token is None:
                return _response(refusal(None))
            missing = missing_scopes(token.claims, scopes)
            if missing:
                return _response(refusal(InsufficientScope(missing)))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
