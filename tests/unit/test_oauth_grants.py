"""Each grant handler against in-memory fakes of its storage ports (tests/unit/oauth_fakes.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from services.token.applications.model import Application, ClientType
from services.token.oauth.access_tokens import AccessTokenIssuer
from services.token.oauth.errors import OAuthError
from services.token.oauth.forms import ClientCredentials
from services.token.oauth.grant_records import CodeGrant
from services.token.oauth.grants.authorization_code import AuthorizationCodeGrant
from services.token.oauth.grants.client_credentials import ClientCredentialsGrant
from services.token.oauth.grants.family_revocation import FamilyRevoker
from services.token.oauth.grants.refresh_token import RefreshTokenGrant
from services.token.oauth.issuer import TokenIssuer, token_hash
from services.token.oauth.ports import TokenEvent
from services.token.oauth.token_endpoint import TokenEndpoint
from tests.unit.oauth_fakes import (
    T0,
    TENANT,
    Clock,
    FakeEvents,
    FakeGrantStore,
    FakeMetrics,
    FakeRevocation,
    FakeSigner,
    issuer_for,
)

pytestmark = pytest.mark.unit
CALLBACK = "https://app.example.com/cb"
VERIFIER = "v" * 50
APP = Application("app_1", "Web app", ClientType.CONFIDENTIAL, redirect_uris=(CALLBACK,),
                  grant_types=("authorization_code", "refresh_token"), allowed_scopes=("openid", "email"))
OTHER = Application("app_2", "Other", ClientType.CONFIDENTIAL, redirect_uris=(CALLBACK,),
                    grant_types=("authorization_code", "refresh_token"))


class World:
    def __init__(self) -> None:
        self.clock = Clock()
        self.store = FakeGrantStore()
        self.revocation = FakeRevocation()
        self.events = FakeEvents()
        self.metrics = FakeMetrics()
        self.signer = FakeSigner()
        access = AccessTokenIssuer(self.signer)
        tokens = TokenIssuer(self.signer, access, issuer_for)
        revoker = FamilyRevoker(self.store, self.revocation.revoke)
        self.code_grant = AuthorizationCodeGrant(self.store, self.store, tokens, revoker, self.revocation,
                                                 self.events, self.metrics, self.clock)
        self.refresh_grant = RefreshTokenGrant(self.store, tokens, revoker, self.revocation, self.events,
                                               self.metrics, self.clock)
        self.client_credentials = ClientCredentialsGrant(access, issuer_for, self.clock)

    async def code(self, redirect_uri_sent: bool = True, challenge: str = create_s256_code_challenge(VERIFIER),
                   scope: str = "openid email") -> str:
        code = f"code-{len(self.store.codes)}"
        await self.store.save_code(TENANT.tenant_id, token_hash(code), CodeGrant(
            APP.client_id, "u1", CALLBACK, scope, "n1", challenge, T0, ("pwd",), "s1",
            {"sub": "u1", "email": "ada@example.com", "email_verified": True}, redirect_uri_sent),
            self.clock.now, self.clock.now + timedelta(seconds=60))
        return code

    async def redeem(self, code: str, client: Application = APP, **form: str) -> dict[str, Any]:
        fields = {"code": code, "redirect_uri": CALLBACK, "code_verifier": VERIFIER, **form}
        return await self.code_grant.handle(TENANT, client, {k: v for k, v in fields.items() if v != "-"})

    async def refresh(self, token: str, **form: str) -> dict[str, Any]:
        return await self.refresh_grant.handle(TENANT, APP, {"refresh_token": token, **form})

    def jti(self, access_token: str) -> str:
        return str(jwt.decode(access_token, options={"verify_signature": False})["jti"])


async def _error(call: Any) -> str:
    with pytest.raises(OAuthError) as raised:
        await call
    return raised.value.error


# --- authorization_code ----------------------------------------------------------------------------

async def test_code_issues_access_id_and_refresh_tokens_recorded_in_one_family() -> None:
    world = World()
    issued = await world.redeem(await world.code())
    assert {"access_token", "id_token", "refresh_token", "expires_in"} <= set(issued)
    claims = jwt.decode(issued["id_token"], world.signer.public_key("RS256"), algorithms=["RS256"],
                        audience=APP.client_id, issuer=issuer_for("acme"),
                        options={"verify_exp": False, "verify_iat": False})
    assert claims["nonce"] == "n1" and claims["email"] == "ada@example.com"
    assert claims["auth_time"] == int(T0.timestamp())
    (family,) = world.store.families.values()
    assert [a.jti for a in family.access] == [world.jti(issued["access_token"])]


async def test_a_replayed_code_revokes_the_family_and_deny_lists_its_access_token() -> None:
    world = World()
    code = await world.code()
    issued = await world.redeem(code)
    assert await _error(world.redeem(code)) == "invalid_grant"
    assert world.jti(issued["access_token"]) in world.revocation.denied
    assert await _error(world.refresh(issued["refresh_token"])) == "invalid_grant"
    assert world.events.types == [TokenEvent.AUTHORIZATION_CODE_REUSED]
    assert world.metrics.replays == ["authorization_code"]


async def test_a_replay_by_another_client_revokes_nothing() -> None:
    world = World()
    code = await world.code()
    issued = await world.redeem(code)
    assert await _error(world.redeem(code, OTHER)) == "invalid_grant"
    assert not world.revocation.denied and "refresh_token" in await world.refresh(issued["refresh_token"])


@pytest.mark.parametrize(("sent", "form", "ok"), [
    (True, {}, True), (True, {"redirect_uri": "-"}, False), (True, {"redirect_uri": CALLBACK + "/x"}, False),
    (False, {"redirect_uri": "-"}, True), (False, {}, True), (False, {"redirect_uri": CALLBACK + "/x"}, False),
])
async def test_redirect_uri_must_be_repeated_only_if_it_was_sent(sent: bool, form: dict[str, str], ok: bool) -> None:
    world = World()
    code = await world.code(redirect_uri_sent=sent)
    if ok:
        assert "access_token" in await world.redeem(code, **form)
    else:
        assert await _error(world.redeem(code, **form)) == "invalid_grant"
        assert await _error(world.redeem(code)) == "invalid_grant"  # used up either way


async def test_pkce_and_client_binding() -> None:
    world = World()
    assert await _error(world.redeem(await world.code(), code_verifier="w" * 50)) == "invalid_grant"
    assert await _error(world.redeem(await world.code(challenge=""))) == "invalid_grant"  # downgrade
    assert await _error(world.redeem(await world.code(), OTHER)) == "invalid_grant"
    assert not world.revocation.denied  # nothing was issued, so nothing to deny-list


async def test_a_code_from_a_sign_in_revoked_since_issues_nothing() -> None:
    world = World()
    code = await world.code()
    world.revocation.user_not_before["u1"] = T0 + timedelta(seconds=5)
    assert await _error(world.redeem(code)) == "invalid_grant"
    assert all(f.revoked for f in world.store.families.values())


# --- refresh_token ---------------------------------------------------------------------------------

async def test_refresh_rotates_and_narrows_but_never_widens_scope() -> None:
    world = World()
    first = await world.redeem(await world.code())
    assert await _error(world.refresh(first["refresh_token"], scope="openid email profile")) == "invalid_scope"
    second = await world.refresh(first["refresh_token"], scope="openid")  # the bad scope did not burn it
    assert second["scope"] == "openid" and second["refresh_token"] != first["refresh_token"]
    third = await world.refresh(second["refresh_token"])
    assert third["scope"] == "openid email"  # narrowing was for that access token only


async def test_reuse_revokes_the_family_and_every_access_token_it_issued() -> None:
    world = World()
    first = await world.redeem(await world.code())
    second = await world.refresh(first["refresh_token"])
    assert await _error(world.refresh(first["refresh_token"])) == "invalid_grant"
    assert {world.jti(first["access_token"]), world.jti(second["access_token"])} <= set(world.revocation.denied)
    assert await _error(world.refresh(second["refresh_token"])) == "invalid_grant"
    assert world.events.types == [TokenEvent.REFRESH_TOKEN_REUSED]
    assert world.metrics.replays == ["refresh_token"]


async def test_refresh_ends_with_expiry_and_with_sign_out_everywhere() -> None:
    world = World()
    first = await world.redeem(await world.code())
    world.clock.now += timedelta(days=15)  # idle lifetime 14 days
    assert await _error(world.refresh(first["refresh_token"])) == "invalid_grant"
    world = World()
    first = await world.redeem(await world.code())
    world.revocation.user_not_before["u1"] = T0 + timedelta(seconds=1)
    assert await _error(world.refresh(first["refresh_token"])) == "invalid_grant"
    assert world.jti(first["access_token"]) in world.revocation.denied
    # The refusal stored no successor and left the family's one token revoked.
    assert len(world.store.refresh) == 1 and all(token.revoked for token in world.store.refresh.values())


async def test_a_failing_sign_out_check_does_not_use_the_refresh_token_up() -> None:
    """Redis failing during a refresh must leave the token as it was: the client retries it,
    and a retry must not look like a replay (which would revoke the user's family)."""
    world = World()
    first = await world.redeem(await world.code())
    working = world.revocation.is_revoked

    async def unavailable(*_args: object) -> bool:
        raise ConnectionError("redis unavailable")

    world.revocation.is_revoked = unavailable  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await world.refresh(first["refresh_token"])
    world.revocation.is_revoked = working  # type: ignore[method-assign]
    second = await world.refresh(first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert world.metrics.replays == [] and world.events.types == []


async def test_a_refresh_token_of_another_client_or_unknown_is_invalid_grant() -> None:
    world = World()
    first = await world.redeem(await world.code())
    assert await _error(world.refresh_grant.handle(TENANT, OTHER, {"refresh_token": first["refresh_token"]})) \
        == "invalid_grant"
    assert await _error(world.refresh("unknown")) == "invalid_grant"
    assert await _error(world.refresh("")) == "invalid_request"


# --- client_credentials and the token endpoint ------------------------------------------------------

SERVICE = Application("app_3", "Service", ClientType.CONFIDENTIAL, grant_types=("client_credentials",),
                      allowed_scopes=("openid", "reports:read", "reports:write"))


async def test_client_credentials_scopes_and_resource() -> None:
    world = World()
    issued = await world.client_credentials.handle(TENANT, SERVICE, {})
    claims = jwt.decode(issued["access_token"], options={"verify_signature": False})
    assert claims["scope"] == "reports:read reports:write" and claims["sub"] == "app_3"
    assert claims["aud"] == issuer_for("acme")
    narrowed = await world.client_credentials.handle(TENANT, SERVICE, {"scope": "reports:read",
                                                                        "resource": "https://api.example.com"})
    assert jwt.decode(narrowed["access_token"], options={"verify_signature": False})["aud"] == "https://api.example.com"
    assert await _error(world.client_credentials.handle(TENANT, SERVICE, {"scope": "openid"})) == "invalid_scope"
    assert await _error(world.client_credentials.handle(TENANT, SERVICE, {"resource": "x#y"})) == "invalid_target"
    public = Application("app_4", "SPA", ClientType.PUBLIC, grant_types=("client_credentials",))
    assert await _error(world.client_credentials.handle(TENANT, public, {})) == "unauthorized_client"


class Clients:
    async def authenticate(self, tenant: Any, credentials: ClientCredentials) -> Application:
        return SERVICE


async def test_token_endpoint_dispatches_by_grant_type_and_labels_metrics_safely() -> None:
    world = World()
    metrics = FakeMetrics()
    endpoint = TokenEndpoint(Clients(), [world.client_credentials], metrics)  # type: ignore[arg-type]
    form = "application/x-www-form-urlencoded"
    assert "access_token" in await endpoint.token(TENANT, form, b"grant_type=client_credentials", "")
    assert await _error(endpoint.token(TENANT, form, b"grant_type=" + b"x" * 500, "")) == "unsupported_grant_type"
    assert await _error(endpoint.token(TENANT, form, b"grant_type=refresh_token", "")) == "unsupported_grant_type"
    assert await _error(endpoint.token(TENANT, form, b"scope=x", "")) == "invalid_request"
    assert metrics.issued_results == [("client_credentials", "issued"), ("other", "unsupported"),
                                      ("other", "unsupported")]
