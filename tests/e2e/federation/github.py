"""A stand-in for GitHub (github.com cannot be reached from here) that speaks its OAuth web
flow and user API as GitHub documents them, on one loopback port:

- GET  /login/oauth/authorize: client_id, redirect_uri (must be the app's callback URL),
  scope, state, code_challenge (S256); the signed-in GitHub user approves at once and is sent
  back with `code` and `state` (no `iss`: GitHub is OAuth 2.0, not OpenID Connect), or with
  error=access_denied when `deny` is set.
- POST /login/oauth/access_token: client_id and client_secret as form parameters (what the
  docs show), code (single use, 10 minutes), redirect_uri, code_verifier. The answer is
  form-encoded unless the request asks for JSON with `Accept: application/json`; errors
  (bad_verification_code, incorrect_client_credentials, redirect_uri_mismatch) come with
  status 200, as GitHub sends them.
- GET /user and GET /user/emails with `Authorization: Bearer <token>` (or `token <token>`)
  and a User-Agent (GitHub refuses requests without one); /user/emails needs the user:email
  scope. /user's `email` is the public profile address, which GitHub does not vouch for.

`token_status` makes the token endpoint answer that HTTP status; `hang` makes it never answer."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class _Grant:
    redirect_uri: str
    scope: str
    challenge: str
    issued: float


@dataclass
class FakeGitHub:
    client_id: str
    client_secret: str
    callback: str
    user: dict[str, Any] = field(default_factory=dict)
    emails: list[dict[str, Any]] = field(default_factory=list)
    deny: bool = False
    token_status: int = 0
    hang: bool = False
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _tokens: dict[str, str] = field(default_factory=dict)  # access token -> scope
    _server: ThreadingHTTPServer | None = None
    _released: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeGitHub:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        if query.get("client_id") != self.client_id:
            return 404, {}
        redirect_uri = query.get("redirect_uri", self.callback)
        if redirect_uri != self.callback:
            return 400, {}  # GitHub shows "The redirect_uri is not associated with this application."
        if self.deny:
            params = {"error": "access_denied", "error_description": "The user has denied your application access.",
                      "error_uri": "https://docs.github.com/apps/troubleshooting-authorization-request-errors",
                      "state": query.get("state", "")}
        else:
            code = secrets.token_hex(10)
            self._codes[code] = _Grant(redirect_uri, query.get("scope", ""), query.get("code_challenge", ""),
                                       time.time())
            params = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}

    def access_token(self, form: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
        self.token_requests.append({"form": form, "headers": headers})
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return {"error": "incorrect_client_credentials",
                    "error_description": "The client_id and/or client_secret passed are incorrect."}
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or time.time() - grant.issued > 600:
            return {"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired."}
        if form.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri:
            return {"error": "redirect_uri_mismatch", "error_description":
                    "The redirect_uri MUST match the registered callback URL for this application."}
        if grant.challenge:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
                return {"error": "bad_verification_code", "error_description": "The code_verifier does not match."}
        token = "gho_" + secrets.token_hex(18)
        scope = ",".join(s for s in grant.scope.replace(",", " ").split())
        self._tokens[token] = scope
        return {"access_token": token, "scope": scope, "token_type": "bearer"}

    def api(self, path: str, headers: dict[str, str]) -> tuple[int, Any]:
        if not headers.get("user-agent"):
            return 403, {"message": "Request forbidden by administrative rules. Please make sure your request "
                                    "has a User-Agent header."}
        kind, _, token = headers.get("authorization", "").partition(" ")
        scope = self._tokens.get(token) if kind.lower() in ("bearer", "token") else None
        if scope is None:
            return 401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                         "status": "401"}
        if path == "/user":
            return 200, self.user
        if path == "/user/emails":
            if "user:email" not in scope.split(",") and "user" not in scope.split(","):
                return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
            return 200, self.emails
        return 404, {"message": "Not Found"}


def _handler(github: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "", extra: dict[str, str] | None = None,
                  ) -> None:
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/login/oauth/authorize":
                status, extra = github.authorize({k: v[0] for k, v in parse_qs(parts.query).items()})
                self._send(status, extra=extra)
                return
            status, value = github.api(parts.path, {k.lower(): v for k, v in self.headers.items()})
            self._send(status, json.dumps(value).encode(), "application/json; charset=utf-8")

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/login/oauth/access_token":
                self._send(404)
                return
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if github.hang:
                github._released.wait(30)  # the caller gives up first
                return
            if github.token_status:
                self._send(github.token_status, b"<html>Unicorn!</html>", "text/html")
                return
            answer = github.access_token({k: v[0] for k, v in parse_qs(raw).items()},
                                         {k.lower(): v for k, v in self.headers.items()})
            if "application/json" in self.headers.get("Accept", ""):
                self._send(200, json.dumps(answer).encode(), "application/json; charset=utf-8")
            else:
                self._send(200, urlencode(answer).encode(), "application/x-www-form-urlencoded; charset=utf-8")

    return Handler
