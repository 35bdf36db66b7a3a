"""The `binoauth` CLI against a fake API (httpx mock transport): tables, --output json, one-line
errors and the documented exit codes (0 ok, 1 API error, 2 usage, 3 auth, 4 unreachable)."""

from __future__ import annotations

import json
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from binoauth_sdk.cli import api as cli_api
from binoauth_sdk.cli import app

pytestmark = pytest.mark.unit
URL = "http://127.0.0.1:9"
TENANTS = [{"tenant_id": "acme", "display_name": "Acme", "state": "TENANT_STATE_ACTIVE",
            "issuer": "http://localhost/tenant/acme"}]


def envelope(status: int, code: str, message: str, **details: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": message, "details": details,
                                                  "timestamp": "2026-12-04T00:00:00Z", "request_id": "r-1"}})


class FakeApi:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {
            ("POST", "/api/v1/admin/login"): self.login,
            ("GET", "/api/v1/tenants"): lambda r: httpx.Response(200, json={"tenants": TENANTS}),
            ("POST", "/api/v1/tenants"): lambda r: envelope(400, "INVALID_ARGUMENT", "tenant_id is not a valid id",
                                                            field="tenant_id"),
            ("GET", "/api/v1/events"): lambda r: httpx.Response(200, json={"events": [
                {"event_id": "e2", "type": "LOGIN_FAILED", "user_id": "", "create_time": "2026-12-04T10:00:02Z",
                 "details": {"reason": "credentials"}},
                {"event_id": "e1", "type": "USER_CREATED", "user_id": "u1", "create_time": "2026-12-04T10:00:01Z"},
            ]}),
            ("POST", "/tenant/acme/oauth2/token"): self.token,
        }

    def login(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get("password") != "right":
            return envelope(401, "INVALID_CREDENTIALS", "the email or password is wrong")
        return httpx.Response(200, json={"access_token": "admin-token", "token_type": "Bearer", "expires_in": 900})

    def token(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != httpx.BasicAuth("app", "secret")._auth_header:
            return httpx.Response(401, json={"error": "invalid_client", "error_description": "client authentication "
                                                                                            "failed"})
        return httpx.Response(200, json={"access_token": "at-123", "token_type": "Bearer", "expires_in": 900})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get((request.method, request.url.path))
        if route is None:
            return httpx.Response(404, text="no route")
        if request.url.path.startswith("/api/v1/") and not request.url.path.endswith("/login") \
                and request.headers.get("authorization") != "Bearer admin-token":
            return envelope(401, "CREDENTIAL_INVALID", "the credential is invalid, expired or revoked")
        return route(request)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeApi]:
    api = FakeApi()
    monkeypatch.setenv("BINOAUTH_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("BINOAUTH_URL", "BINOAUTH_PROFILE", "BINOAUTH_PASSWORD", "BINOAUTH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(cli_api, "TRANSPORT", httpx.MockTransport(api))
    yield api


def run(*args: str, stdin: str | None = None, **env: str) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin, env=env or None)


def signed_in() -> None:
    result = run("login", "--url", URL, "--email", "admin@example.com", BINOAUTH_PASSWORD="right")
    assert result.exit_code == 0, result.output


def test_login_stores_a_private_profile(fake: FakeApi, tmp_path: Path) -> None:
    result = run("login", "--url", URL, "--email", "admin@example.com", "--password-stdin", stdin="right\n")
    assert result.exit_code == 0, result.output
    assert "Signed in to http://127.0.0.1:9 as admin@example.com" in result.output
    path = tmp_path / "config" / "profiles.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    stored = json.loads(path.read_text())["profiles"]["default"]
    assert stored["token"] == "admin-token" and stored["kind"] == "admin" and "right" not in path.read_text()
    assert "authorization" not in fake.requests[0].headers  # the public login sends no credential


def test_wrong_password_is_one_line_and_exit_3(fake: FakeApi) -> None:
    result = run("login", "--url", URL, "--email", "a@example.com", BINOAUTH_PASSWORD="wrong")
    assert result.exit_code == 3
    assert result.output.strip() == "error: the email or password is wrong [INVALID_CREDENTIALS]"
    assert "Traceback" not in result.output


def test_tenants_as_a_table_and_as_json(fake: FakeApi) -> None:
    signed_in()
    table = run("tenants", "list")
    assert table.exit_code == 0, table.output
    assert "TENANT" in table.output and "acme" in table.output and "Acme" in table.output
    as_json = run("--output", "json", "tenants", "list")
    assert as_json.exit_code == 0 and json.loads(as_json.output) == TENANTS


def test_api_error_shows_the_message_and_field_exit_1(fake: FakeApi) -> None:
    signed_in()
    result = run("tenants", "create", "Bad Id")
    assert result.exit_code == 1
    assert result.output.strip() == "error: tenant_id is not a valid id (field: tenant_id) [INVALID_ARGUMENT]"


def test_not_signed_in_and_rejected_credentials_exit_3(fake: FakeApi, tmp_path: Path) -> None:
    result = run("tenants", "list")
    assert result.exit_code == 3 and "run `binoauth login`" in result.output
    signed_in()
    path = tmp_path / "config" / "profiles.json"
    path.write_text(path.read_text().replace("admin-token", "stale-token"))
    result = run("tenants", "list")
    assert result.exit_code == 3 and "[CREDENTIAL_INVALID]" in result.output


def test_usage_errors_exit_2(fake: FakeApi) -> None:
    assert run("tenants", "frobnicate").exit_code == 2
    assert run("events", "tail", "--limit", "1000").exit_code == 2
    assert run("--output", "yaml", "tenants", "list").exit_code == 2
    assert run("login").exit_code == 2  # no URL yet


def test_unreachable_server_exits_4(fake: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_api, "TRANSPORT", None)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("login", "--url", f"http://127.0.0.1:{port}", "--email", "a@example.com", BINOAUTH_PASSWORD="x")
    assert result.exit_code == 4
    assert result.output.startswith("error: cannot reach the server") and len(result.output.strip().splitlines()) == 1


def test_a_non_json_answer_is_one_line(fake: FakeApi) -> None:
    signed_in()
    fake.routes[("GET", "/api/v1/tenants")] = lambda r: httpx.Response(502, text="<html>bad gateway</html>")
    result = run("tenants", "list")
    assert result.exit_code == 1 and result.output.strip() == "error: HTTP 502: the answer is not the API's JSON"


def test_events_tail_prints_oldest_first_and_follow_adds_only_new(fake: FakeApi) -> None:
    signed_in()
    result = run("events", "tail", "--tenant", "acme", "--follow", "--interval", "0.2", "--max-polls", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and "USER_CREATED" in lines[0] and "LOGIN_FAILED" in lines[1]
    assert "reason=credentials" in lines[1]
    events = [r for r in fake.requests if r.url.path == "/api/v1/events"]
    assert len(events) == 2 and all(r.headers["x-tenant-id"] == "acme" for r in events)
    as_json = run("-o", "json", "events", "tail", "-t", "acme")
    assert [json.loads(line)["event_id"] for line in as_json.output.splitlines()] == ["e1", "e2"]


def test_token_prints_the_access_token_or_the_oauth_error(fake: FakeApi) -> None:
    ok = run("token", "--url", URL, "--tenant", "acme", "--client-id", "app", BINOAUTH_CLIENT_SECRET="secret")
    assert ok.exit_code == 0 and ok.output.strip() == "at-123"
    bad = run("token", "--url", URL, "--tenant", "acme", "--client-id", "app", BINOAUTH_CLIENT_SECRET="nope")
    assert bad.exit_code == 3 and bad.output.strip() == "error: client authentication failed [invalid_client]"


def test_doctor_reports_each_check(fake: FakeApi) -> None:
    jwks = {"keys": [{"kty": "EC", "kid": "k1", "alg": "ES256", "crv": "P-256", "x": "x", "y": "y"}]}
    fake.routes[("GET", "/tenant/acme/.well-known/openid-configuration")] = lambda r: httpx.Response(
        200, json={"issuer": "http://localhost/tenant/acme"}, headers={"Date": "Mon, 01 Jan 2001 00:00:00 GMT"})
    fake.routes[("GET", "/tenant/acme/.well-known/jwks.json")] = lambda r: httpx.Response(
        200, json=jwks, headers={"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "599"})
    result = run("-o", "json", "doctor", "--url", URL, "--tenant", "acme")
    checks = {c["check"]: c for c in json.loads(result.output)}
    assert checks["discovery"]["status"] == "ok" and checks["jwks"]["status"] == "ok"
    assert checks["rate-limits"]["status"] == "ok" and checks["tls"]["status"] == "warn"
    assert checks["clock"]["status"] == "fail" and "ahead of the server" in checks["clock"]["detail"]
    assert result.exit_code == 1  # a failed check
    fake.routes[("GET", "/tenant/acme/.well-known/jwks.json")] = lambda r: httpx.Response(
        200, json={"keys": [{**jwks["keys"][0], "d": "private!"}]})
    checks = {c["check"]: c for c in json.loads(run("-o", "json", "doctor", "--url", URL, "-t", "acme").output)}
    assert checks["jwks"]["status"] == "fail" and "PRIVATE" in checks["jwks"]["detail"]


def test_the_installed_console_script_exits_with_the_documented_codes(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "binoauth"
    env = {"BINOAUTH_CONFIG_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    usage = subprocess.run([str(script), "tenants", "frobnicate"], capture_output=True, text=True, env=env,
                           timeout=60, check=False)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    unauth = subprocess.run([str(script), "tenants", "list"], capture_output=True, text=True, env=env, timeout=60,
                            check=False)
    assert unauth.returncode == 3 and unauth.stderr.strip() == (
        "error: not signed in (profile 'default'): run `binoauth login`")


def test_doctor_refuses_an_untrusted_certificate(tmp_path: Path) -> None:
    """The TLS check with a real handshake: a self-signed certificate is not trusted."""
    import datetime
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from binoauth_sdk.cli.doctor import check_tls

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(10)

        def accept_one() -> None:
            try:
                connection, _ = server.accept()
                with context.wrap_socket(connection, server_side=True):
                    pass
            except (OSError, ssl.SSLError):
                pass  # the client hangs up once it distrusts the certificate

        thread = threading.Thread(target=accept_one, daemon=True)
        thread.start()
        result = check_tls(f"https://localhost:{server.getsockname()[1]}")
        thread.join(10)
    assert result.status == "fail" and result.detail.startswith("certificate not trusted"), result
    assert check_tls("http://auth.example.com").status == "fail"  # plain http to a remote host
