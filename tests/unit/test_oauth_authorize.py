"""The authorization endpoint against fakes: max_age and prompt=login satisfied by the sign-in
they cause, numeric limits, redirect_uri rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from services.common.csrf import CsrfTokens, derive_key
from services.common.settings import Secret
from services.token.applications.model import Application, ApplicationType, ClientType
from services.token.oauth.authorize import AuthorizationEndpoint
from services.token.oauth.pages import HttpAnswer
from services.token.oauth.platform import SignedIn
from tests.unit.oauth_fakes import T0, TENANT, Clock, FakeEvents, FakeGrantStore, issuer_for

pytestmark = pytest.mark.unit
CALLBACK = "https://app.example.com/cb"
APP = Application("app_1", "App", ClientType.CONFIDENTIAL, redirect_uris=(CALLBACK,), first_party=True,
                  allowed_scopes=("openid", "email"), application_type=ApplicationType.WEB)


class Applications:
    def __init__(self, *apps: Application) -> None:
        self.apps = {a.client_id: a for a in apps}

    async def find(self, tenant_id: str, client_id: str) -> Application | None:
        return self.apps.get(client_id)


class Platform:
    def __init__(self, auth_time: Any) -> None:
        self.signed_in = SignedIn("s1", "u1", auth_time, ("pwd",))

    async def session(self, tenant_id: str, secret: str) -> SignedIn | None:
        return self.signed_in if secret else None

    async def claims(self, tenant_id: str, user_id: str) -> dict[str, Any] | None:
        return {"sub": user_id}


class World:
    def __init__(self, *apps: Application) -> None:
        self.clock = Clock(T0 + timedelta(minutes=5))
        self.platform = Platform(T0)
        self.endpoint = AuthorizationEndpoint(
            Applications(*(apps or (APP,))), FakeGrantStore(), FakeGrantStore(), self.platform,  # type: ignore[arg-type]
            CsrfTokens(derive_key(Secret("k" * 40))), True, FakeEvents(), issuer_for, self.clock)

    async def authorize(self, **params: str) -> HttpAnswer:
        base = {"response_type": "code", "client_id": "app_1", "redirect_uri": CALLBACK, "scope": "openid"}
        values = {k: v for k, v in {**base, **params}.items() if v != "-"}
        return await self.endpoint.authorize(TENANT, values, "binoauth_session=x", "acme")


def location(answer: HttpAnswer) -> str:
    return dict(answer.headers)["location"]


def return_to(answer: HttpAnswer) -> dict[str, str]:
    assert answer.status == 303
    path = parse_qs(urlsplit(location(answer)).query)["return_to"][0]
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


@pytest.mark.parametrize("params", [{"max_age": "0"}, {"max_age": "60"}, {"prompt": "login"}])
async def test_the_sign_in_it_caused_satisfies_max_age_and_prompt_login(params: dict[str, str]) -> None:
    world = World()
    back = return_to(await world.authorize(**params))
    assert back["login_after"] == str(int(world.clock.now.timestamp()))
    assert return_to(await world.authorize(**back))  # not signed in again yet: sent round once more
    world.platform.signed_in = SignedIn("s2", "u1", world.clock.now + timedelta(seconds=3), ("pwd",))
    world.clock.now += timedelta(seconds=30)
    answer = await world.authorize(**back)
    assert answer.status == 302 and "code=" in location(answer)


async def test_max_age_accepts_a_recent_enough_session() -> None:
    world = World()
    assert (await world.authorize(max_age="600")).status == 302
    assert (await world.authorize(max_age="299")).status == 303


@pytest.mark.parametrize("value", ["1" + "0" * 39, "316224001", "-1", "1e3", "٣", "0x10"])
async def test_numbers_out_of_range_are_invalid_request(value: str) -> None:
    answer = await World().authorize(max_age=value)
    assert answer.status == 302 and "error=invalid_request" in location(answer)
    if not value.isdigit():
        login_after = await World().authorize(login_after=value)
        assert login_after.status == 302 and "error=invalid_request" in location(login_after)


async def test_redirect_uri_rules() -> None:
    world = World()
    assert "redirect_uri is required" in (await world.authorize(redirect_uri="-")).body.decode()
    plain = await world.authorize(redirect_uri="-", scope="email")
    assert plain.status == 302 and location(plain).startswith(CALLBACK + "?code=")
    native = Application("app_1", "CLI", ClientType.PUBLIC, redirect_uris=("http://127.0.0.1:5000/cb",),
                         application_type=ApplicationType.NATIVE, first_party=True)
    web = Application("app_1", "Web", ClientType.CONFIDENTIAL, redirect_uris=("http://127.0.0.1:5000/cb",),
                      application_type=ApplicationType.WEB, first_party=True)
    challenge = {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}
    moved = "http://127.0.0.1:6000/cb"
    assert (await World(native).authorize(redirect_uri=moved, **challenge)).status == 302
    assert (await World(web).authorize(redirect_uri=moved)).status == 400
