"""The OpenAPI document through Envoy, and the API answering as it says: every operation is
called (authenticated where a scripted world allows, bare otherwise) and each answer's status
must be documented and its body must match the documented schema, with no undocumented field."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from gateway.values import OPENAPI_DOCUMENT
from tests.e2e.helpers import unique_id
from tools.stack import Stack

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return dict(json.loads(OPENAPI_DOCUMENT.read_text()))


def test_the_gateway_serves_the_document(gateway: httpx.Client, document: dict[str, Any]) -> None:
    for path in ("/api/v1/openapi.json", "/tenant/acme/api/v1/openapi.json"):
        answer = gateway.get(path)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        assert answer.json() == document
    assert gateway.post("/api/v1/openapi.json").status_code == 404


class Checker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.checked: set[str] = set()

    def operation(self, verb: str, path: str) -> dict[str, Any]:
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and verb.lower() in item:
                return dict(item[verb.lower()])
        raise AssertionError(f"{verb} {path} is not in the document")

    def check(self, answer: httpx.Response) -> httpx.Response:
        request = answer.request
        path = request.url.path
        path = re.sub(r"^/tenant/[^/]+", "", path)
        operation = self.operation(request.method, path)
        responses = operation["responses"]
        status = str(answer.status_code)
        documented = responses.get(status) or responses.get(status[0] + "XX")
        assert documented is not None, (request.method, path, status, answer.text[:300])
        content = documented.get("content")
        if content and "application/json" in content:
            schema = {**content["application/json"]["schema"], "components": self.document["components"]}
            errors = sorted(Draft202012Validator(schema).iter_errors(answer.json()), key=str)
            assert not errors, (request.method, path, status, [e.message for e in errors[:5]])
        elif content:
            (media,) = content
            kind = media.split("/")[0] + "/" if media.endswith("/*") else media
            assert answer.headers["content-type"].startswith(kind), (path, media, answer.headers)
        self.checked.add(operation["operationId"])
        return answer


def test_every_operation_answers_as_documented(
    stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
    new_tenant: Callable[..., dict[str, Any]], document: dict[str, Any]
) -> None:
    checker = Checker(document)
    check = checker.check
    tenant = new_tenant(display_name="Shapes")["tenant_id"]
    t = f"/tenant/{tenant}"
    auth = platform_headers
    # --- platform and tenant management, authenticated -------------------------------------
    check(gateway.get("/api/v1/tenants", headers=auth, params={"page_size": 2}))
    check(gateway.get("/api/v1/tenants", headers=auth, params={"query": "shap", "state": "TENANT_STATE_ACTIVE"}))
    check(gateway.get(f"/api/v1/tenants/{tenant}", headers=auth))
    check(gateway.patch(f"/api/v1/tenants/{tenant}", headers=auth, params={"update_mask": "display_name"},
                        json={"display_name": "Shapes 2"}))
    check(gateway.put(f"/api/v1/tenants/{tenant}", headers=auth, params={"update_mask": "display_name"},
                      json={"display_name": "Shapes 3"}))
    check(gateway.get(f"{t}/api/v1/tenant"))
    key = check(gateway.post(f"/api/v1/tenants/{tenant}/apiKeys", headers=auth,
                             json={"scopes": ["users:read", "users:write"]})).json()
    check(gateway.post("/api/v1/apiKeys", headers=auth, json={"scopes": ["tenants:read"]}))
    check(gateway.get("/api/v1/apiKeys", headers=auth))
    check(gateway.get(f"/api/v1/tenants/{tenant}/apiKeys", headers=auth))
    check(gateway.get(f"/api/v1/apiKeys/{key['api_key']['api_key_id']}", headers=auth))
    check(gateway.post(f"/api/v1/apiKeys/{key['api_key']['api_key_id']}:revoke", headers=auth, json={}))
    admin_email = f"{unique_id('adm')}@example.com"
    admin = check(gateway.post("/api/v1/adminUsers", headers=auth, json={
        "email": admin_email, "password": PASSWORD, "tenant_id": tenant})).json()
    check(gateway.get("/api/v1/adminUsers", headers=auth))
    admin_id = admin.get("admin_user_id") or admin.get("admin_user", {}).get("admin_user_id", "x")
    check(gateway.post(f"/api/v1/adminUsers/{admin_id}:disable", headers=auth, json={}))
    check(gateway.post(f"/api/v1/adminUsers/{admin_id}:enable", headers=auth, json={}))
    check(gateway.post("/api/v1/admin/login", json={"email": admin_email, "password": PASSWORD}))
    # --- the console's session and the analytics API -----------------------------------------
    console_email = f"{unique_id('con')}@example.com"
    check(gateway.post("/api/v1/adminUsers", headers=auth, json={
        "admin_user": {"email": console_email, "tenant_id": tenant, "scopes": ["analytics:read"]},
        "password": PASSWORD}))
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as console:
        check(console.post("/api/v1/admin/sessions", json={"email": console_email, "password": PASSWORD}))
        check(console.get("/api/v1/admin/sessions/current"))
        check(console.get(f"/api/v1/tenants/{tenant}/analytics", headers={"X-BinoAuth-Console": "1"},
                          params={"granularity": "HOUR"}))
        check(console.post("/api/v1/admin/sessions/current:end", json={}))
        check(console.get("/api/v1/admin/sessions/current"))
    check(gateway.get("/api/v1/analytics", headers=auth, params={
        "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-03T00:00:00Z", "granularity": "DAY"}))
    check(gateway.get("/api/v1/analytics", headers=auth, params={"granularity": "WEEK"}))
    # --- users, sessions, events ---------------------------------------------------------------
    email = f"{unique_id('u')}@example.com"
    user = check(gateway.post(f"{t}/api/v1/users", headers=auth, json={
        "user": {"email": email, "name": "Ada"}, "password": PASSWORD, "email_verified": True})).json()
    user_id = user.get("user_id") or user["user"]["user_id"]
    check(gateway.get(f"{t}/api/v1/users", headers=auth, params={"query": "ada", "page_size": 5}))
    check(gateway.get(f"{t}/api/v1/users/{user_id}", headers=auth))
    check(gateway.patch(f"{t}/api/v1/users/{user_id}", headers=auth, params={"update_mask": "name"},
                        json={"name": "Ada L."}))
    for verb in ("disable", "enable", "unlock", "resetMfa"):
        check(gateway.post(f"{t}/api/v1/users/{user_id}:{verb}", headers=auth, json={}))
    browser = httpx.Client(base_url=stack.public_url, timeout=30)
    check(browser.post(f"{t}/api/v1/auth/login", json={"email": email, "password": PASSWORD}))
    check(browser.get(f"{t}/api/v1/users/me"))
    check(browser.patch(f"{t}/api/v1/users/me", params={"update_mask": "given_name"}, json={"given_name": "Ada"}))
    sessions = check(browser.get(f"{t}/api/v1/sessions")).json()
    check(browser.post(f"{t}/api/v1/sessions:revokeOthers", json={}))
    check(browser.get(f"{t}/api/v1/consents"))
    check(browser.delete(f"{t}/api/v1/consents/app_{'0' * 24}"))
    enrolled = check(browser.post(f"{t}/api/v1/users/me/mfa/totp:enroll", json={}))
    assert enrolled.status_code == 200
    check(gateway.get(f"{t}/api/v1/users/{user_id}/sessions", headers=auth))
    check(gateway.get(f"{t}/api/v1/users/{user_id}/consents", headers=auth))
    check(gateway.delete(f"{t}/api/v1/users/{user_id}/consents/app_{'0' * 24}", headers=auth))
    # --- external identity providers and linked identities ---------------------------------------
    check(browser.get(f"{t}/api/v1/users/me/identities"))
    check(browser.delete(f"{t}/api/v1/users/me/identities/fid_{'0' * 24}"))
    check(gateway.get(f"{t}/api/v1/users/{user_id}/identities", headers=auth))
    check(gateway.delete(f"{t}/api/v1/users/{user_id}/identities/fid_{'0' * 24}", headers=auth))
    idp = f"{t}/api/v1/identityProviders"
    check(gateway.post(idp, headers=auth, json={
        "provider_id": "self", "provider_type": "PROVIDER_TYPE_OIDC", "issuer": f"{stack.public_url}{t}",
        "client_id": "c", "client_secret": "s", "enabled": True}))
    check(gateway.get(idp, headers=auth))
    check(gateway.get(f"{idp}/self", headers=auth))
    check(gateway.patch(f"{idp}/self", headers=auth, params={"update_mask": "display_order"},
                        json={"display_order": 2}))
    check(gateway.post(f"{idp}/self:disable", headers=auth, json={}))
    check(gateway.post(f"{idp}/self:enable", headers=auth, json={}))
    check(browser.get(f"{t}/federation/self/start", follow_redirects=False))
    check(browser.get(f"{t}/federation/self/callback", params={"state": "x", "code": "y"}))
    check(browser.post(f"{t}/federation/self/callback", data={"state": "x", "code": "y"}))
    check(gateway.delete(f"{idp}/self", headers=auth))
    session_id = sessions["sessions"][0]["session_id"] if sessions.get("sessions") else "ses_x"
    check(gateway.get(f"{t}/api/v1/events", headers=auth, params={"page_size": 5}))
    check(gateway.get(f"{t}/api/v1/events", headers=auth, params={
        "start_time": "2026-01-01T00:00:00Z", "end_time": "2099-01-01T00:00:00Z", "type": "LOGIN_SUCCEEDED"}))
    check(gateway.get(f"{t}/api/v1/events", headers=auth, params={"start_time": "yesterday"}))
    check(browser.post(f"{t}/api/v1/auth/logout", json={}))
    check(gateway.delete(f"{t}/api/v1/users/{user_id}/sessions/{session_id}", headers=auth))
    check(gateway.post(f"{t}/api/v1/users/{user_id}/sessions:revokeAll", headers=auth, json={}))
    # --- applications, keys and the OAuth wire endpoints ---------------------------------------
    app = check(gateway.post(f"{t}/api/v1/applications", headers=auth, json={
        "display_name": "Svc", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "grant_types": ["client_credentials"],
        "allowed_scopes": ["reports:read"]})).json()
    client_id, secret = app["application"]["client_id"], app["client_secret"]
    check(gateway.get(f"{t}/api/v1/applications", headers=auth))
    check(gateway.get(f"{t}/api/v1/applications", headers=auth, params={
        "query": "svc", "client_type": "CLIENT_TYPE_CONFIDENTIAL", "application_type": "APPLICATION_TYPE_WEB"}))
    check(gateway.get(f"{t}/api/v1/applications/{client_id}", headers=auth))
    check(gateway.patch(f"{t}/api/v1/applications/{client_id}", headers=auth,
                        params={"update_mask": "display_name"}, json={"display_name": "Svc 2"}))
    rotated = check(gateway.post(f"{t}/api/v1/applications/{client_id}:rotateSecret", headers=auth, json={}))
    secret = rotated.json().get("client_secret", secret)
    check(gateway.get(f"{t}/api/v1/signingKeys", headers=auth))
    check(gateway.post(f"{t}/api/v1/signingKeys:rotate", headers=auth, json={}))
    check(gateway.get(f"{t}/.well-known/openid-configuration"))
    check(gateway.get(f"{t}/.well-known/oauth-authorization-server"))
    check(gateway.get(f"/.well-known/oauth-authorization-server/tenant/{tenant}"))
    check(gateway.get(f"{t}/.well-known/jwks.json"))
    token = check(gateway.post(f"{t}/oauth2/token", auth=(client_id, secret),
                               data={"grant_type": "client_credentials"})).json()["access_token"]
    check(gateway.post(f"{t}/oauth2/token", auth=(client_id, "wrong"), data={"grant_type": "client_credentials"}))
    check(gateway.post(f"{t}/oauth2/introspect", auth=(client_id, secret), data={"token": token}))
    check(gateway.post(f"{t}/oauth2/revoke", auth=(client_id, secret), data={"token": token}))
    check(gateway.post(f"{t}/oauth2/device_authorization", auth=(client_id, secret), data={}))
    check(gateway.get(f"{t}/oauth2/userinfo", headers={"Authorization": f"Bearer {token}"}))
    check(gateway.post(f"{t}/oauth2/userinfo", data={"access_token": "x"}))
    check(gateway.delete(f"{t}/api/v1/applications/{client_id}", headers=auth))
    # --- everything else, bare: still documented statuses and bodies ---------------------------
    for path, item in document["paths"].items():
        for verb, operation in item.items():
            if operation["operationId"] in checker.checked:
                continue
            concrete = re.sub(r"\{[a-z_]+\}", lambda m: "app_" + "0" * 24 if "client" in m.group(0)
                              else "x" + secrets.token_hex(3), path)
            url = (t if not concrete.startswith("/api/v1/tenants") else "") + concrete
            body = operation.get("requestBody", {}).get("content", {})
            kwargs: dict[str, Any] = {}
            if "application/json" in body:
                kwargs["json"] = {}
            elif body:
                kwargs["data"] = {}
            check(browser.request(verb.upper(), url, follow_redirects=False, **kwargs))
    check(gateway.delete(f"/api/v1/tenants/{tenant}", headers=auth))
    every = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert every <= checker.checked, every - checker.checked
