"""Administration of a tenant's users over REST through Envoy, with tenant API keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from services.identity import totp
from tests.e2e.helpers import assert_envelope, unique_id
from tests.e2e.test_identity_flows import PASSWORD, Browser
from tools.stack import Stack

pytestmark = pytest.mark.e2e


@dataclass
class Admin:
    """A tenant with a users:read+users:write key, a users:read key, and helpers."""

    stack: Stack
    tenant_id: str
    writer: dict[str, str]
    reader: dict[str, str]
    client: httpx.Client

    @property
    def users(self) -> str:
        return f"/tenant/{self.tenant_id}/api/v1/users"

    def create(self, email: str, **body: Any) -> dict[str, Any]:
        response = self.client.post(self.users, headers=self.writer, json={"user": {"email": email}, **body})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def get(self, user_id: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.client.get(f"{self.users}/{user_id}", headers=headers or self.reader)

    def act(self, user_id: str, verb: str) -> httpx.Response:
        return self.client.post(f"{self.users}/{user_id}:{verb}", headers=self.writer, json={})


def make_key(client: httpx.Client, platform_headers: dict[str, str], tenant_id: str,
             scopes: list[str]) -> dict[str, str]:
    response = client.post(f"/api/v1/tenants/{tenant_id}/apiKeys", headers=platform_headers,
                           json={"display_name": "users admin", "scopes": scopes})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['secret']}"}


@pytest.fixture
def admin(stack: Stack, gateway: httpx.Client, platform_headers: dict[str, str],
          new_tenant: Callable[..., dict[str, Any]]) -> Admin:
    tenant_id = str(new_tenant(settings={"lockout_policy": {"max_failures": 3, "progressive_delay_seconds": 0}})[
        "tenant_id"])
    return Admin(stack, tenant_id, make_key(gateway, platform_headers, tenant_id, ["users:read", "users:write"]),
                 make_key(gateway, platform_headers, tenant_id, ["users:read"]), gateway)


@pytest.fixture
def browser(stack: Stack, admin: Admin) -> Iterator[Callable[[], Browser]]:
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(stack, admin.tenant_id))
        return made[-1]

    yield make
    for b in made:
        b.close()


def email_of(name: str) -> str:
    return f"{unique_id(name)}@example.com"


def test_create_with_password_get_and_login(admin: Admin, browser: Callable[[], Browser]) -> None:
    email = email_of("created")
    user = admin.create(email, password=PASSWORD, email_verified=True)
    assert user["user_id"].startswith("usr_") and user["email"] == email
    assert user["email_verified"] is True and user["state"] == "USER_STATE_ACTIVE"
    assert "password" not in str(user).lower()
    got = admin.get(user["user_id"])
    assert got.status_code == 200 and got.json()["email"] == email
    login = browser().login(email)
    assert login.status_code == 200, login.text
    assert login.json()["user"]["user_id"] == user["user_id"]
    assert admin.get(user["user_id"]).json()["last_login_time"]

    # Without email_verified the administrator did not vouch for the address.
    unverified = email_of("unverified")
    admin.create(unverified, password=PASSWORD)
    assert_envelope(browser().login(unverified), 403, "EMAIL_NOT_VERIFIED")
    # The tenant's password policy applies to administrators too.
    assert_envelope(admin.client.post(admin.users, headers=admin.writer,
                                      json={"user": {"email": email_of("weak")}, "password": "short"}),
                    400, "PASSWORD_TOO_SHORT")


def test_create_with_profile_and_metadata(admin: Admin) -> None:
    email = email_of("profiled")
    user = admin.create(email, user={"email": email, "name": "Ada Lovelace", "given_name": "Ada",
                                     "locale": "en-GB", "metadata": {"plan": "pro", "seats": 3}})
    assert (user["name"], user["given_name"], user["locale"]) == ("Ada Lovelace", "Ada", "en-GB")
    assert user["metadata"] == {"plan": "pro", "seats": 3}
    assert admin.get(user["user_id"]).json()["metadata"] == {"plan": "pro", "seats": 3}


def test_duplicate_email_is_409(admin: Admin) -> None:
    email = email_of("dup")
    admin.create(email, password=PASSWORD)
    for same in (email, email.upper().replace("@EXAMPLE.COM", "@example.com"), email.replace("example", "EXAMPLE")):
        response = admin.client.post(admin.users, headers=admin.writer,
                                     json={"user": {"email": same}, "password": PASSWORD})
        assert_envelope(response, 409, "USER_ALREADY_EXISTS")


def test_invite_mail_sets_the_password(admin: Admin, browser: Callable[[], Browser]) -> None:
    email = email_of("invited")
    invitee = browser()
    since = invitee.mark()
    user = admin.create(email, send_invite=True)
    assert user["email_verified"] is False
    message = admin.stack.mail.wait_for_blocking(email, timeout=10, since=since)  # type: ignore[union-attr]
    assert "invited" in str(message["Subject"]).lower()
    code = invitee.mail_code(email, since)
    # No password yet: nothing signs in.
    assert_envelope(invitee.login(email, PASSWORD), 401, "INVALID_CREDENTIALS")
    confirmed = invitee.post("/api/v1/auth/password-reset:confirm", {"code": code, "new_password": PASSWORD})
    assert confirmed.status_code == 200, confirmed.text
    login = invitee.login(email)
    assert login.status_code == 200, login.text
    assert login.json()["user"]["email_verified"] is True  # the invitation proved the address
    assert_envelope(invitee.post("/api/v1/auth/password-reset:confirm",
                                 {"code": code, "new_password": "another long passphrase"}), 400, "INVALID_CODE")
    assert admin.get(user["user_id"]).json()["email_verified"] is True


def test_list_search_and_pagination(admin: Admin) -> None:
    prefix = unique_id("page")
    created = {admin.create(f"{prefix}-{i}@example.com", user={"email": f"{prefix}-{i}@example.com",
                                                                "name": f"Pager {i}"})["user_id"] for i in range(5)}
    other = admin.create(email_of("unrelated"), user={"email": email_of("unrelated"), "name": "Someone Else"})

    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        params: dict[str, Any] = {"query": prefix, "page_size": 2}
        if token:
            params["page_token"] = token
        response = admin.client.get(admin.users, headers=admin.reader, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body.get("users", [])) <= 2
        seen.extend(u["user_id"] for u in body.get("users", []))
        pages += 1
        token = body.get("next_page_token", "")
        if not token:
            break
        assert pages < 10
    assert sorted(seen) == sorted(created) and len(seen) == len(set(seen))
    assert pages == 3

    # Case-insensitive, on the email or the name.
    by_email = admin.client.get(admin.users, headers=admin.reader, params={"query": prefix.upper()}).json()["users"]
    assert {u["user_id"] for u in by_email} == created
    by_name = admin.client.get(f"{admin.users}?query=someone%20ELSE", headers=admin.reader).json()["users"]
    assert [u["user_id"] for u in by_name] == [other["user_id"]]
    everyone = admin.client.get(admin.users, headers=admin.reader, params={"page_size": 100}).json()["users"]
    assert created | {other["user_id"]} <= {u["user_id"] for u in everyone}
    assert admin.client.get(admin.users, headers=admin.reader, params={"query": "nobody-matches-this"}).json().get(
        "users", []) == []
    assert_envelope(admin.client.get(admin.users, headers=admin.reader, params={"page_token": "garbage!"}), 400)


def test_search_query_with_form_encoded_space(admin: Admin) -> None:
    other = admin.create(email_of("spaced"), user={"email": email_of("spaced"), "name": "Plus Encoded Name"})
    found = admin.client.get(admin.users, headers=admin.reader, params={"query": "plus encoded"}).json()
    assert [u["user_id"] for u in found.get("users", [])] == [other["user_id"]]


def test_search_wildcards_match_themselves(admin: Admin) -> None:
    """`_` and `%` in a query are the characters, not LIKE wildcards: "a_b" does not find "axb"."""
    tag = email_of("wild").split("@")[0]
    underscore = admin.create(f"{tag}_1@example.com")
    admin.create(f"{tag}x1@example.com")  # "x" where the query has "_": must not match
    found = admin.client.get(admin.users, headers=admin.reader, params={"query": f"{tag}_1"}).json()
    assert [u["user_id"] for u in found.get("users", [])] == [underscore["user_id"]]
    assert admin.client.get(admin.users, headers=admin.reader, params={"query": f"{tag}%"}).json().get(
        "users", []) == []


def test_update_with_mask(admin: Admin) -> None:
    user = admin.create(email_of("upd"), user={"email": email_of("upd"), "name": "Old Name", "locale": "en-US"})
    url = f"{admin.users}/{user['user_id']}"
    updated = admin.client.patch(url, headers=admin.writer, params={"update_mask": "name,metadata"},
                                 json={"name": "New Name", "locale": "fr-FR",
                                       "metadata": {"tier": "gold", "tags": ["a", "b"], "nested": {"x": True}}})
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["name"] == "New Name"
    assert body["locale"] == "en-US"  # not in the mask: unchanged
    assert body["metadata"] == {"tier": "gold", "tags": ["a", "b"], "nested": {"x": True}}
    assert admin.get(user["user_id"]).json()["metadata"] == body["metadata"]

    for mask in ("password", "no_such_field", "email_verified", "state", "user_id", "mfa_enabled", "create_time"):
        assert_envelope(admin.client.patch(url, headers=admin.writer, params={"update_mask": mask},
                                           json={"name": "x"}), 400)
    assert_envelope(admin.client.patch(url, headers=admin.writer, params={"update_mask": "email_verified"},
                                       json={"email_verified": True}), 400, "INVALID_UPDATE_MASK")
    assert admin.get(user["user_id"]).json()["email_verified"] is False
    assert_envelope(admin.client.patch(f"{admin.users}/usr_000000000000000000000000", headers=admin.writer,
                                       params={"update_mask": "name"}, json={"name": "x"}), 404, "USER_NOT_FOUND")


def test_disable_ends_sessions_and_enable_restores_login(admin: Admin, browser: Callable[[], Browser]) -> None:
    email = email_of("disable")
    user = admin.create(email, password=PASSWORD, email_verified=True)
    phone, laptop = browser(), browser()
    assert phone.login(email).status_code == 200 and laptop.login(email).status_code == 200
    disabled = admin.act(user["user_id"], "disable")
    assert disabled.status_code == 200 and disabled.json()["state"] == "USER_STATE_DISABLED"
    for device in (phone, laptop):
        assert_envelope(device.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")
    assert_envelope(phone.login(email), 401, "INVALID_CREDENTIALS")
    enabled = admin.act(user["user_id"], "enable")
    assert enabled.json()["state"] == "USER_STATE_ACTIVE"
    assert phone.login(email).status_code == 200
    assert phone.get("/api/v1/users/me").status_code == 200
    # The sessions ended by the disable stay ended.
    assert_envelope(laptop.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")


def test_unlock_after_lockout(admin: Admin, browser: Callable[[], Browser]) -> None:
    email = email_of("locked")
    user = admin.create(email, password=PASSWORD, email_verified=True)
    client = browser()
    for _ in range(4):
        assert_envelope(client.login(email, "definitely not the password"), 401, "INVALID_CREDENTIALS")
    assert_envelope(client.login(email), 401, "INVALID_CREDENTIALS")
    assert admin.get(user["user_id"]).json()["state"] == "USER_STATE_LOCKED"
    unlocked = admin.act(user["user_id"], "unlock")
    assert unlocked.status_code == 200 and unlocked.json()["state"] == "USER_STATE_ACTIVE"
    assert client.login(email).status_code == 200


def test_reset_mfa_removes_the_second_factor(admin: Admin, browser: Callable[[], Browser]) -> None:
    email = email_of("mfa")
    user = admin.create(email, password=PASSWORD, email_verified=True)
    owner = browser()
    assert owner.login(email).status_code == 200
    secret = owner.post("/api/v1/users/me/mfa/totp:enroll", {}).json()["secret"]
    confirmed = owner.post("/api/v1/users/me/mfa/totp:confirm", {"code": totp.code_at(secret, datetime.now(UTC))})
    assert confirmed.status_code == 200, confirmed.text
    assert admin.get(user["user_id"]).json()["mfa_enabled"] is True
    assert browser().login(email).json()["mfa_required"] is True

    reset = admin.act(user["user_id"], "resetMfa")
    assert reset.status_code == 200 and reset.json()["mfa_enabled"] is False
    fresh = browser()
    login = fresh.login(email)
    assert login.status_code == 200 and not login.json().get("mfa_required")
    assert login.json()["user"]["mfa_enabled"] is False
    assert fresh.get("/api/v1/users/me").status_code == 200
    # The old recovery codes died with the factor, and the user can enroll again.
    assert fresh.post("/api/v1/users/me/mfa/totp:enroll", {}).status_code == 200


def test_delete_removes_the_user_and_their_sessions(admin: Admin, browser: Callable[[], Browser]) -> None:
    email = email_of("deleted")
    user = admin.create(email, password=PASSWORD, email_verified=True)
    device = browser()
    assert device.login(email).status_code == 200
    deleted = admin.client.delete(f"{admin.users}/{user['user_id']}", headers=admin.writer)
    assert deleted.status_code == 200, deleted.text
    assert_envelope(device.get("/api/v1/users/me"), 401, "SESSION_REQUIRED")
    assert_envelope(device.login(email), 401, "INVALID_CREDENTIALS")
    assert_envelope(admin.get(user["user_id"]), 404, "USER_NOT_FOUND")
    listed = admin.client.get(admin.users, headers=admin.reader, params={"query": email}).json()
    assert listed.get("users", []) == []
    # The address is free again: a new, different user.
    again = admin.create(email, password=PASSWORD, email_verified=True)
    assert again["user_id"] != user["user_id"] and again["mfa_enabled"] is False


def test_credentials_scopes_and_tenant_boundaries(
    admin: Admin, gateway: httpx.Client, platform_headers: dict[str, str], new_tenant: Callable[..., dict[str, Any]]
) -> None:
    user = admin.create(email_of("guarded"), password=PASSWORD)
    url = f"{admin.users}/{user['user_id']}"
    assert_envelope(gateway.get(admin.users), 401, "CREDENTIAL_MISSING")
    assert_envelope(gateway.get(url), 401, "CREDENTIAL_MISSING")
    assert_envelope(gateway.get(admin.users, headers={"Authorization": "Bearer bino_not-a-key"}), 401,
                    "CREDENTIAL_INVALID")

    # A users:read key reads but does not write.
    assert admin.client.get(admin.users, headers=admin.reader).status_code == 200
    for response in (
        gateway.post(admin.users, headers=admin.reader, json={"user": {"email": email_of("nope")}}),
        gateway.patch(url, headers=admin.reader, params={"update_mask": "name"}, json={"name": "x"}),
        gateway.post(f"{url}:disable", headers=admin.reader, json={}),
        gateway.post(f"{url}:unlock", headers=admin.reader, json={}),
        gateway.post(f"{url}:resetMfa", headers=admin.reader, json={}),
        gateway.delete(url, headers=admin.reader),
    ):
        error = assert_envelope(response, 403, "MISSING_SCOPE")
        assert error["details"]["scope"] == "users:write"
    # A key with other scopes cannot even read.
    sessions_key = make_key(gateway, platform_headers, admin.tenant_id, ["sessions:read"])
    error = assert_envelope(gateway.get(admin.users, headers=sessions_key), 403, "MISSING_SCOPE")
    assert error["details"]["scope"] == "users:read"

    # A key of this tenant on another tenant's users.
    other = str(new_tenant()["tenant_id"])
    theirs = make_key(gateway, platform_headers, other, ["users:read", "users:write"])
    victim = gateway.post(f"/tenant/{other}/api/v1/users", headers=theirs,
                          json={"user": {"email": email_of("victim")}}).json()
    for response in (
        gateway.get(f"/tenant/{other}/api/v1/users", headers=admin.writer),
        gateway.get(f"/tenant/{other}/api/v1/users/{victim['user_id']}", headers=admin.writer),
        gateway.post(f"/tenant/{other}/api/v1/users/{victim['user_id']}:disable", headers=admin.writer, json={}),
        gateway.delete(f"/tenant/{other}/api/v1/users/{victim['user_id']}", headers=admin.writer),
        gateway.get(f"/api/v1/users/{victim['user_id']}", headers={**admin.writer, "X-Tenant-ID": other}),
    ):
        assert response.status_code in (403, 404), response.text
        assert_envelope(response, response.status_code)
    # ... and through its own tenant, the other tenant's user does not exist.
    assert_envelope(gateway.get(f"{admin.users}/{victim['user_id']}", headers=admin.writer), 404, "USER_NOT_FOUND")
    assert gateway.get(f"/tenant/{other}/api/v1/users/{victim['user_id']}", headers=theirs).json()["state"] == (
        "USER_STATE_ACTIVE")
    # A tenant key needs no tenant selection: it only ever sees its own users.
    own = gateway.get("/api/v1/users", headers=admin.reader, params={"page_size": 100})
    assert own.status_code == 200, own.text
    assert user["user_id"] in {u["user_id"] for u in own.json()["users"]}
    assert victim["user_id"] not in {u["user_id"] for u in own.json()["users"]}
