"""The `binoauth` CLI (in-process through typer's CliRunner) against the real stack through
Envoy: an administrator signs in, creates a tenant, an application and a user, reads the
tenant's events, gets a client_credentials token, rotates signing keys, checks the deployment,
and sees one-line errors with the documented exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from binoauth_sdk import TokenVerifier
from binoauth_sdk.cli import app
from tests.e2e.helpers import unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
ADMIN_SCOPES = ["tenants:read", "tenants:write", "applications:read", "applications:write", "users:read",
                "users:write", "events:read", "api_keys:read", "api_keys:write", "signing_keys:write"]


@pytest.fixture
def admin_email(gateway: httpx.Client, platform_headers: dict[str, str]) -> Iterator[str]:
    email = f"{unique_id('cli')}@example.com"
    created = gateway.post("/api/v1/adminUsers", headers=platform_headers, json={
        "admin_user": {"email": email, "scopes": ADMIN_SCOPES}, "password": PASSWORD})
    assert created.status_code == 200, created.text
    yield email
    gateway.post(f"/api/v1/adminUsers/{created.json()['admin_user_id']}:disable", headers=platform_headers, json={})


def cli(config: Path, *args: str, stdin: str | None = None, **env: str) -> Any:
    result = CliRunner().invoke(app, list(args), input=stdin, env={"BINOAUTH_CONFIG_DIR": str(config), **env})
    assert "Traceback" not in result.output
    return result


def ok_json(config: Path, *args: str, **kwargs: Any) -> Any:
    result = cli(config, "--output", "json", *args, **kwargs)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cli_administers_a_tenant_end_to_end(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
                                             admin_email: str, tmp_path: Path) -> None:
    config = tmp_path / "binoauth"
    signed = cli(config, "login", "--url", stack.gateway_url, "--email", admin_email, "--password-stdin",
                 stdin=PASSWORD + "\n")
    assert signed.exit_code == 0, signed.output
    assert (config / "profiles.json").stat().st_mode & 0o077 == 0

    tenant = unique_id("cli")
    try:
        created = ok_json(config, "tenants", "create", tenant, "--name", "CLI Corp")
        assert created["tenant_id"] == tenant and created["display_name"] == "CLI Corp"
        listed = cli(config, "tenants", "list")
        assert listed.exit_code == 0 and tenant in listed.output and "CLI Corp" in listed.output

        application = ok_json(config, "apps", "create", "--tenant", tenant, "--name", "Reports",
                              "--grant", "client_credentials", "--scope", "reports:read")
        client_id, secret = application["application"]["client_id"], application["client_secret"]
        assert secret
        assert client_id in cli(config, "apps", "list", "-t", tenant).output

        user = ok_json(config, "users", "create", "-t", tenant, "--email", f"{unique_id('u')}@example.com",
                       "--name", "Ada", "--verified", "--password-stdin", stdin=PASSWORD + "\n")
        assert user["user_id"] and user["email_verified"] is True

        events = cli(config, "-o", "json", "events", "tail", "-t", tenant, "--limit", "50")
        assert events.exit_code == 0, events.output
        created_events = [json.loads(line) for line in events.output.splitlines()]
        assert any(e["type"] == "USER_CREATED" and e["user_id"] == user["user_id"] for e in created_events)
        table = cli(config, "events", "list", "-t", tenant)
        assert table.exit_code == 0 and "USER_CREATED" in table.output

        token = cli(config, "token", "-t", tenant, "--client-id", client_id, "--scope", "reports:read",
                    "--resource", "https://api.example.com", BINOAUTH_CLIENT_SECRET=secret)
        assert token.exit_code == 0, token.output
        verified = TokenVerifier(issuer=f"{stack.public_url}/tenant/{tenant}",
                                 audience="https://api.example.com").verify(token.output.strip())
        assert verified.client_id == client_id and verified.scopes == {"reports:read"}

        def active_es256(keys: list[dict[str, Any]]) -> set[str]:
            return {k["kid"] for k in keys if k["algorithm"] == "ES256" and k["state"].endswith("_ACTIVE")}

        before = active_es256(ok_json(config, "keys", "list", "-t", tenant))
        answer = ok_json(config, "keys", "rotate", "-t", tenant, "--algorithm", "ES256")
        rotated = active_es256(answer["signing_keys"])
        assert before and rotated and before.isdisjoint(rotated)
        key = ok_json(config, "api-keys", "create", "-t", tenant, "--scope", "users:read", "--name", "ci")
        assert key["secret"].startswith("bino_")
        revoked = ok_json(config, "api-keys", "revoke", key["api_key"]["api_key_id"])
        assert revoked["state"] == "API_KEY_STATE_REVOKED"

        doctor = cli(config, "-o", "json", "doctor", "-t", tenant)
        checks = {c["check"]: c["status"] for c in json.loads(doctor.output)}
        assert checks["discovery"] == "ok" and checks["jwks"] == "ok" and checks["clock"] == "ok", doctor.output
        assert checks["rate-limits"] == "ok" and checks["tls"] == "warn"  # plain http on loopback
        assert doctor.exit_code == 0, doctor.output

        # Errors: the API's envelope as one line, with the documented exit codes.
        bad = cli(config, "tenants", "create", "Not A Valid Id")
        assert bad.exit_code == 1 and bad.output.startswith("error: ") and len(bad.output.strip().splitlines()) == 1
        assert bad.output.strip().endswith("(field: tenant_id) [INVALID_TENANT_ID]")
        missing = cli(config, "users", "get", "no-such-user", "-t", tenant)
        assert missing.exit_code == 1 and "NOT_FOUND" in missing.output
        wrong_secret = cli(config, "token", "-t", tenant, "--client-id", client_id, BINOAUTH_CLIENT_SECRET="nope")
        assert wrong_secret.exit_code == 3 and "[invalid_client]" in wrong_secret.output
    finally:
        deleted = cli(config, "tenants", "delete", tenant, "--yes")
    assert deleted.exit_code == 0, deleted.output

    wrong = cli(tmp_path / "other", "login", "--url", stack.gateway_url, "--email", admin_email,
                "--password-stdin", stdin="not the password\n")
    assert wrong.exit_code == 3 and wrong.output.strip().endswith("[INVALID_CREDENTIALS]")
    assert cli(tmp_path / "other", "tenants", "list").exit_code == 3  # never signed in
