"""Starlette and FastAPI. Neither is imported until a dependency is built; the middleware is
plain ASGI and needs neither.

    app.add_middleware(BearerTokenMiddleware, verifier=verifier, exempt=("/health",))
    # the route reads request.state.access_token

    @app.get("/reports")
    async def reports(token: AccessToken = Depends(require_token(verifier, "reports:read"))): ...
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from binoauth_sdk.integrations._bearer import Refusal, bearer_token, refusal
from binoauth_sdk.verifier import AccessToken, InvalidToken, TokenVerifier

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _authorization(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            return bytes(value).decode("latin-1")
    return None


class BearerTokenMiddleware:
    """Refuses every HTTP request without a valid access token (paths in `exempt` pass); the
    verified token is `request.state.access_token`."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, scopes: Iterable[str] = (),
                 exempt: Iterable[str] = ()) -> None:
        self.app = app
        self.verifier = verifier
        self.scopes = list(scopes)
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        token = bearer_token(_authorization(scope))
        if token is None:
            await _send(send, refusal(None))
            return
        try:
            verified = await self.verifier.averify(token, scopes=self.scopes)
        except InvalidToken as error:
            await _send(send, refusal(error))
            return
        scope.setdefault("state", {})["access_token"] = verified
        await self.app(scope, receive, send)


async def _send(send: Send, answer: Refusal) -> None:
    body = json.dumps(answer.body).encode()
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
               (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in answer.headers.items()]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def require_token(verifier: TokenVerifier, *scopes: str) -> Callable[..., Awaitable[AccessToken]]:
    """A FastAPI dependency (`Depends(require_token(verifier, "reports:read"))`) answering the
    verified token, or an HTTPException 401/403 with the RFC 6750 challenge."""
    from starlette.exceptions import HTTPException
    from starlette.requests import Request

    async def dependency(request: Request) -> AccessToken:
        token = bearer_token(request.headers.get("authorization"))
        try:
            if token is None:
                raise HTTPException(401, refusal(None).body["error_description"], refusal(None).headers)
            return await verifier.averify(token, scopes=scopes)
        except InvalidToken as error:
            answer = refusal(error)
            raise HTTPException(answer.status, answer.body["error_description"], answer.headers) from None

    # FastAPI reads the annotation to inject the request; with postponed annotations it would
    # look the name up in this module's globals, where Request is deliberately not imported.
    dependency.__annotations__ = {"request": Request, "return": AccessToken}
    return dependency
