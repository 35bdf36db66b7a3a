"""The TypeScript SDKs against the real stack through Envoy: the React example app (built by
Vite, @binoauth/react) signs a user in through the hosted page in Chromium, calls the Express
example API (protected by @binoauth/node) with its access token, refreshes (rotation) and
signs out; and @binoauth/node's verifier refuses forged, expired, wrong-audience, wrong-tenant
and revoked tokens that the stack really issued."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.e2e.helpers import unique_id
from tests.e2e.test_oauth_code_flow import PASSWORD, Browser
from tests.e2e.test_oauth_device_flow import device_page, setup_device_world, submit
from tools.devstack._process import free_port
from tools.stack import Stack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node") or "node"
DISTS = [ROOT / "sdks" / name / "dist" / "index.js" for name in ("oauth-core", "node", "react", "nextjs")]


@pytest.fixture(scope="module")
def sdks_built() -> None:
    """`make test` builds them first (test-sdks); a lone pytest run builds them here."""
    if not all(dist.exists() for dist in DISTS):
        subprocess.run(["npm", "run", "--silent", "build:sdks"], cwd=ROOT, check=True, timeout=300)


def wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout} s")


@pytest.fixture
def processes() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Starts example servers as subprocesses (own process group) and stops them afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(args, cwd=cwd, env={**os.environ, **env}, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def machine_client(gateway: httpx.Client, platform: dict[str, str], tenant: str) -> tuple[str, str]:
    created = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform, json={
        "display_name": "Reports job", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
        "grant_types": ["client_credentials"], "allowed_scopes": ["reports:read"]})
    assert created.status_code == 200, created.text
    return created.json()["application"]["client_id"], created.json()["client_secret"]


def client_credentials(stack: Stack, tenant: str, client: tuple[str, str], **extra: str) -> str:
    response = httpx.post(f"{stack.gateway_url}/tenant/{tenant}/oauth2/token", auth=client, timeout=30,
                          data={"grant_type": "client_credentials", "scope": "reports:read", **extra})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_node_verifier_refuses_what_it_must(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]], sdks_built: None,
) -> None:
    acme, globex = (str(new_tenant()["tenant_id"]) for _ in range(2))
    issuer = f"{stack.public_url}/tenant/{acme}"
    acme_client, globex_client = machine_client(gateway, platform_headers, acme), machine_client(
        gateway, platform_headers, globex)
    good = client_credentials(stack, acme, acme_client)
    other_audience = client_credentials(stack, acme, acme_client, resource="https://other.example.com")
    other_tenant = client_credentials(stack, globex, globex_client)
    revoked = client_credentials(stack, acme, acme_client)
    answer = httpx.post(f"{stack.gateway_url}/tenant/{acme}/oauth2/revoke", auth=acme_client,
                        data={"token": revoked}, timeout=30)
    assert answer.status_code == 200, answer.text
    # Same header (kid, typ, alg) and claims, signed with a key of our own.
    header = jwt.get_unverified_header(good)
    claims = jwt.decode(good, options={"verify_signature": False})
    forged = jwt.encode(claims, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256",
                        headers={"kid": header["kid"], "typ": "at+jwt"})
    introspection = {"clientId": acme_client[0], "clientSecret": acme_client[1]}
    cases = [
        {"name": "good", "token": good, "issuer": issuer, "scopes": ["reports:read"]},
        {"name": "good+introspected", "token": good, "issuer": issuer, "introspection": introspection},
        {"name": "api audience", "token": other_audience, "issuer": issuer, "audience": "https://other.example.com"},
        {"name": "forged", "token": forged, "issuer": issuer},
        {"name": "expired", "token": good, "issuer": issuer, "now": claims["exp"] + 3600},
        {"name": "wrong audience", "token": other_audience, "issuer": issuer},
        {"name": "wrong tenant", "token": other_tenant, "issuer": issuer},
        {"name": "revoked", "token": revoked, "issuer": issuer, "introspection": introspection},
        {"name": "missing scope", "token": good, "issuer": issuer, "scopes": ["reports:write"]},
    ]
    run = subprocess.run([NODE, str(ROOT / "tests" / "e2e" / "sdk" / "verify_tokens.mjs")], cwd=ROOT,
                         input=json.dumps({"cases": cases}).encode(), capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr.decode()
    results = json.loads(run.stdout)
    assert results == {
        "good": "ok", "good+introspected": "ok", "api audience": "ok",
        "forged": "invalid_token: bad signature",
        "expired": "invalid_token: expired",
        "wrong audience": 'invalid_token: claim aud (check_failed)',
        "wrong tenant": "invalid_token: unexpected issuer",
        "revoked": "invalid_token: inactive (revoked)",
        "missing scope": "insufficient_scope: missing reports:write",
    }, results


def test_oauth_core_device_flow_refresh_and_sign_out(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]], sdks_built: None,
) -> None:
    """@binoauth/oauth-core as a CLI uses it (tests/e2e/sdk/device_flow.mjs): discovery, the device
    flow polled at the server's interval while the user approves on the hosted page, a refresh
    that rotates, and sign-out revoking the refresh token."""
    tenant = str(new_tenant()["tenant_id"])
    issuer = f"{stack.public_url}/tenant/{tenant}"
    email, client_id, _ = setup_device_world(gateway, platform_headers, tenant)
    cli = subprocess.Popen([NODE, str(ROOT / "tests" / "e2e" / "sdk" / "device_flow.mjs")], cwd=ROOT,
                           env={**os.environ, "BINOAUTH_ISSUER": issuer, "CLIENT_ID": client_id},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert cli.stdout is not None
        device = json.loads(cli.stdout.readline() or b"{}")["device"]
        assert device["verificationUri"] == f"{issuer}/device" and device["intervalSeconds"] == 5
        browser = Browser(stack, tenant)
        review = submit(browser, device_page(browser, device["verificationUriComplete"], email), "review")
        approved = submit(browser, review, "allow")
        assert "Device connected" in approved.text, approved.text
        out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
    assert cli.returncode == 0, err.decode()
    result = json.loads(out.splitlines()[-1])
    assert result["email"] == email and result["rotated"] is True and result["after"] is None
    logout = result["logout"]
    assert logout.startswith(f"{issuer}/oauth2/logout?") and "id_token_hint=" in logout
    for token in (result["first"], result["last"]):  # rotated away, then revoked at sign-out
        refused = httpx.post(f"{issuer}/oauth2/token", timeout=30, data={
            "grant_type": "refresh_token", "client_id": client_id, "refresh_token": token})
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", refused.text


def test_react_spa_signs_in_calls_the_api_refreshes_and_signs_out(
    chromium: Any, stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]], sdks_built: None,
    processes: Callable[..., subprocess.Popen[bytes]], tmp_path: Path,
) -> None:
    tenant = str(new_tenant(display_name="SPA example")["tenant_id"])
    issuer = f"{stack.public_url}/tenant/{tenant}"
    spa_port, api_port = free_port(), free_port()
    spa = f"http://localhost:{spa_port}"
    email = f"{unique_id('spa')}@example.com"
    # examples/setup.mjs, as the README tells a developer (here with this stack's URL and key, and
    # the configuration written to tmp_path): the user, the SPA's application, the env files.
    spa_env, api_env = tmp_path / "spa.env", tmp_path / "api.env"
    setup = subprocess.run([NODE, str(ROOT / "examples" / "setup.mjs"), "--tenant", tenant, "--email", email,
                            "--password", PASSWORD, "--spa-origin", spa, "--api-url", f"http://localhost:{api_port}",
                            "--spa-env", str(spa_env), "--api-env", str(api_env)], cwd=ROOT, capture_output=True,
                           timeout=60, env={**os.environ, "BINOAUTH_URL": stack.gateway_url,
                                            "BINOAUTH_API_KEY": stack.bootstrap_api_key})
    assert setup.returncode == 0, setup.stderr.decode()
    env = dict(line.split("=", 1) for line in spa_env.read_text().splitlines())
    assert env["VITE_BINOAUTH_ISSUER"] == issuer
    client_id = env["VITE_BINOAUTH_CLIENT_ID"]
    api_config = dict(line.split("=", 1) for line in api_env.read_text().splitlines())
    assert api_config == {"BINOAUTH_ISSUER": issuer, "ALLOWED_ORIGINS": spa, "PORT": str(api_port)}

    api = processes([NODE, "server.js"], ROOT / "examples" / "express-api", api_config)
    # The production build, served by `vite preview` (the dev server may reload mid-test while
    # it optimises dependencies).
    vite = str(ROOT / "node_modules" / "vite" / "bin" / "vite.js")
    out = tmp_path / "spa"
    build = subprocess.run([NODE, vite, "build", "--logLevel", "error", "--outDir", str(out), "--emptyOutDir"],
                           cwd=ROOT / "examples" / "react-spa", env={**os.environ, **env}, capture_output=True,
                           timeout=180)
    assert build.returncode == 0, build.stderr.decode()
    preview = processes([NODE, vite, "preview", "--outDir", str(out), "--host", "127.0.0.1", "--port",
                         str(spa_port), "--strictPort"], ROOT / "examples" / "react-spa", env)
    wait_http(f"http://127.0.0.1:{api_port}/api/health", api)
    wait_http(f"http://127.0.0.1:{spa_port}/", preview)

    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    try:
        page.goto(f"{spa}/")
        page.click("#sign-in")
        page.wait_for_url(f"{issuer}/login?**")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.click("button[value=allow]")  # the consent page
        page.wait_for_selector("#user")
        assert page.url == f"{spa}/"  # the code and state left the address bar
        assert page.text_content("#user") == f"Signed in as {email}"
        # Tokens live in memory only: nothing in Web Storage but nothing at all, in fact.
        assert page.evaluate("Object.keys(localStorage).length + Object.keys(sessionStorage).length") == 0

        page.click("#call-api")
        page.wait_for_function("document.querySelector('#api-result').textContent.startsWith('200')")
        first = json.loads(page.text_content("#api-result").split(" ", 1)[1])
        assert first["client_id"] == client_id and first["sub"].startswith("usr_")
        assert {"openid", "offline_access"} <= set(first["scopes"])
        token_before = page.text_content("#token")

        page.click("#refresh")
        page.wait_for_function(f"document.querySelector('#token').textContent !== {json.dumps(token_before)}")
        page.click("#call-api")
        page.wait_for_function(f"!document.querySelector('#api-result').textContent.includes({json.dumps(first['jti'])})")
        second = json.loads(page.text_content("#api-result").split(" ", 1)[1])
        assert second["sub"] == first["sub"] and second["jti"] != first["jti"]

        page.click("#sign-out")
        page.wait_for_selector("#sign-in")
        assert page.url == f"{spa}/"
        # Signed out at BinoAuth too: signing in again asks for the password.
        page.click("#sign-in")
        page.wait_for_url(f"{issuer}/login?**")
    except Exception:
        print("console:", console, "url:", page.url)
        for process in (api, preview):
            if process.poll() is not None and process.stderr:
                print(process.args, process.stderr.read().decode()[-2000:])
        raise
    finally:
        context.close()

    # The API refuses a request without a token, with the RFC 6750 challenge.
    refused = httpx.get(f"http://127.0.0.1:{api_port}/api/me", timeout=10)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert not re.search(r"\b(error|warn)", " ".join(console), re.IGNORECASE), console


def test_nextjs_helpers_sign_in_refresh_on_every_request_and_sign_out(
    chromium: Any, stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]], sdks_built: None,
    processes: Callable[..., subprocess.Popen[bytes]],
) -> None:
    """@binoauth/nextjs as a Next.js app uses it (tests/e2e/sdk/nextjs_app.mjs): a confidential
    client, the session in an encrypted HttpOnly cookie, middleware that protects /account and
    here refreshes on every request (so each page load rotates the refresh token: a rotated
    cookie that did not stick would end the session), the access token used server-side."""
    tenant = str(new_tenant(display_name="Next example")["tenant_id"])
    issuer = f"{stack.public_url}/tenant/{tenant}"
    port = free_port()
    app_url = f"http://localhost:{port}"
    email = f"{unique_id('next')}@example.com"
    user = gateway.post(f"/tenant/{tenant}/api/v1/users", headers=platform_headers, json={
        "user": {"email": email, "name": "Katherine Johnson"}, "password": PASSWORD, "email_verified": True})
    assert user.status_code == 200, user.text
    app = gateway.post(f"/tenant/{tenant}/api/v1/applications", headers=platform_headers, json={
        "display_name": "Next example", "client_type": "CLIENT_TYPE_CONFIDENTIAL",
        "grant_types": ["authorization_code", "refresh_token"], "redirect_uris": [f"{app_url}/auth/callback"],
        "post_logout_redirect_uris": [f"{app_url}/"],
        "allowed_scopes": ["openid", "profile", "email", "offline_access"]})
    assert app.status_code == 200, app.text
    server = processes([NODE, str(ROOT / "tests" / "e2e" / "sdk" / "nextjs_app.mjs")], ROOT, {
        "BINOAUTH_ISSUER": issuer, "CLIENT_ID": app.json()["application"]["client_id"],
        "CLIENT_SECRET": app.json()["client_secret"], "BASE_URL": app_url, "PORT": str(port),
        "SESSION_SECRET": secrets.token_urlsafe(32), "REFRESH_MARGIN": "86400"})
    wait_http(f"http://127.0.0.1:{port}/", server)

    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{app_url}/account")  # protected: the middleware sends the browser to sign in
        page.wait_for_url(f"{issuer}/login?**")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.click("button[value=allow]")
        page.wait_for_selector("#user")
        assert page.url == f"{app_url}/account"
        assert page.text_content("#user") == f"Signed in as {email}"
        assert page.evaluate("document.cookie") == ""  # HttpOnly: no script sees the session
        cookies = {c["name"]: c for c in context.cookies(app_url)}
        assert cookies["binoauth_session"]["httpOnly"] and cookies["binoauth_session"]["sameSite"] == "Lax"
        first = page.text_content("#token")
        for _ in range(2):  # each load refreshes: the rotated refresh token must stick
            page.reload()
            page.wait_for_selector("#user")
            assert page.text_content("#token") != first
            first = page.text_content("#token")
        page.goto(f"{app_url}/api/me")  # the server calls userinfo with the session's access token
        assert json.loads(page.text_content("body") or "{}")["email"] == email
        page.goto(f"{app_url}/account")
        page.click("#sign-out")
        page.wait_for_selector("#sign-in")
        assert page.url == f"{app_url}/"
        page.goto(f"{app_url}/account")  # signed out at BinoAuth too: the password is asked again
        page.wait_for_url(f"{issuer}/login?**")
    except Exception:
        print("url:", page.url)
        if server.poll() is not None and server.stderr:
            print(server.stderr.read().decode()[-2000:])
        raise
    finally:
        context.close()


NEXT_APP = ROOT / "examples" / "nextjs-app"


def test_nextjs_example_signs_in_calls_the_api_and_signs_out(
    chromium: Any, stack: Stack, new_tenant: Callable[..., dict[str, Any]], sdks_built: None,
    processes: Callable[..., subprocess.Popen[bytes]], tmp_path: Path,
) -> None:
    """examples/nextjs-app itself, run as its README says (`setup.mjs --nextjs`, `npm run dev`):
    the middleware sends a signed-out visitor to the hosted login, the callback sets the
    encrypted HttpOnly cookie, the account page (a server component) calls the Express example
    API with the access token, and sign-out ends the session at BinoAuth too."""
    next_bin = NEXT_APP / "node_modules" / "next" / "dist" / "bin" / "next"
    assert next_bin.exists(), "examples/nextjs-app is not installed: run `make nextjs-example`"
    tenant = str(new_tenant(display_name="Next.js example")["tenant_id"])
    issuer = f"{stack.public_url}/tenant/{tenant}"
    next_port, api_port = free_port(), free_port()
    app_url = f"http://localhost:{next_port}"
    email = f"{unique_id('nextapp')}@example.com"
    next_env, api_env = tmp_path / "next.env", tmp_path / "api.env"
    setup = subprocess.run([NODE, str(ROOT / "examples" / "setup.mjs"), "--tenant", tenant, "--email", email,
                            "--password", PASSWORD, "--nextjs", "--next-url", app_url, "--next-env", str(next_env),
                            "--api-url", f"http://localhost:{api_port}", "--spa-env", str(tmp_path / "spa.env"),
                            "--api-env", str(api_env)], cwd=ROOT, capture_output=True, timeout=60,
                           env={**os.environ, "BINOAUTH_URL": stack.gateway_url,
                                "BINOAUTH_API_KEY": stack.bootstrap_api_key})
    assert setup.returncode == 0, setup.stderr.decode()
    config = dict(line.split("=", 1) for line in next_env.read_text().splitlines())
    assert config["BINOAUTH_ISSUER"] == issuer and config["APP_URL"] == app_url
    api = processes([NODE, "server.js"], ROOT / "examples" / "express-api",
                    dict(line.split("=", 1) for line in api_env.read_text().splitlines()))
    # The dev server, as `npm run dev` starts it (the SDKs are already built).
    server = processes([NODE, str(next_bin), "dev", "--hostname", "127.0.0.1", "--port", str(next_port)], NEXT_APP,
                       {**config, "NEXT_TELEMETRY_DISABLED": "1"})
    wait_http(f"http://127.0.0.1:{api_port}/api/health", api)
    wait_http(f"http://127.0.0.1:{next_port}/", server, timeout=180)  # the first page compiles on demand

    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)  # each route compiles on its first request
    try:
        page.goto(f"{app_url}/")
        assert page.text_content("#status") == "Signed out."
        page.click("#sign-in")
        page.wait_for_url(f"{issuer}/login?**")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.click("button[value=allow]")
        page.wait_for_selector("#user")
        assert page.url == f"{app_url}/account"
        assert page.text_content("#user") == email
        assert page.evaluate("document.cookie") == ""  # HttpOnly: no script sees the session
        assert page.text_content("#api-status") == "200"
        answer = json.loads(page.text_content("#api") or "{}")
        assert answer["client_id"] == config["BINOAUTH_CLIENT_ID"] and answer["sub"].startswith("usr_")
        page.click("#sign-out")
        page.wait_for_selector("#sign-in")
        assert page.url == f"{app_url}/"
        page.goto(f"{app_url}/account")  # signed out at BinoAuth too: the password is asked again
        page.wait_for_url(f"{issuer}/login?**")
    except Exception:
        print("url:", page.url)
        for process in (api, server):
            if process.poll() is not None and process.stderr:
                print(process.args, process.stderr.read().decode()[-2000:])
        raise
    finally:
        context.close()
