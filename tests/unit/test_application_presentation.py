"""An application's presentation on the consent page (services/token/applications/
presentation.py): validated like the tenant's branding, carried through the API mapping and
the update rules, shown on the consent page (logo from the tenant's origin, links, its own
words for its custom scopes), and left out of the token endpoint's client cache."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import replace
from typing import Any

import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from binoauth.token.v1 import application_pb2
from services.common.errors import InvalidArgument
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator
from services.common.pages.kit import Look
from services.token.applications.mapping import application_changes, application_from_proto, application_to_proto
from services.token.applications.model import Application, ClientType, validated
from services.token.applications.presentation import Presentation, validated_presentation
from services.token.applications.usecases import UPDATABLE, ApplicationUseCases, apply_changes
from services.token.oauth.app_logos import logo_path
from services.token.oauth.pages import Consent, consent_page

pytestmark = pytest.mark.unit
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LOGO = "data:image/png;base64," + base64.b64encode(PNG).decode()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
APP = Application("app_" + "0" * 24, "Orders app", ClientType.CONFIDENTIAL, redirect_uris=("https://app.example/cb",),
                  allowed_scopes=("openid", "orders:read"))


def _refused(p: Presentation) -> InvalidArgument:
    with pytest.raises(InvalidArgument) as raised:
        validated_presentation(p)
    return raised.value


@pytest.mark.parametrize(("presentation", "field"), [
    (Presentation(logo_image="data:image/svg+xml;base64," + base64.b64encode(SVG).decode()), "logo_image"),
    (Presentation(logo_image="data:image/png;base64," + base64.b64encode(SVG).decode()), "logo_image"),
    (Presentation(logo_image="data:image/png;base64," + base64.b64encode(PNG + bytes(300_000)).decode()),
     "logo_image"),
    (Presentation(logo_image="data:image/png;base64," + base64.b64encode(PNG + bytes(20 << 20)).decode()),
     "logo_image"),
    (Presentation(logo_image="https://cdn.example/logo.png"), "logo_image"),
    (Presentation(logo_url="http://cdn.example/logo.png"), "logo_url"),
    (Presentation(logo_url="https://cdn.example/logo.png", logo_image=LOGO), "logo_image"),
    (Presentation(homepage_url="javascript:alert(1)"), "homepage_url"),
    (Presentation(privacy_policy_url="http://app.example/privacy"), "privacy_policy_url"),
    (Presentation(terms_of_service_url="https://user:pw@app.example/terms"), "terms_of_service_url"),
    (Presentation(scope_descriptions=(("email", "Read all your mail"),)), "scope_descriptions"),
    (Presentation(scope_descriptions=(("orders:read", "line one\nline two"),)), "scope_descriptions"),
    (Presentation(scope_descriptions=(("orders:read", "x" * 201),)), "scope_descriptions"),
    (Presentation(scope_descriptions=tuple((f"s{i}", "words") for i in range(51))), "scope_descriptions"),
])
def test_bad_presentation_is_refused_with_a_clear_error(presentation: Presentation, field: str) -> None:
    error = _refused(presentation)
    assert error.details["field"] == field and error.message.startswith(field), error
    assert error.reason in ("INVALID_LOGO", "INVALID_APPLICATION_PRESENTATION")


def test_good_presentation_is_kept_and_hashed() -> None:
    p = validated_presentation(Presentation(logo_image=LOGO, homepage_url="https://app.example/",
                                            scope_descriptions=(("orders:read", " See your orders "),)))
    assert p.scope_descriptions == (("orders:read", "See your orders"),) and len(p.logo_hash) == 12
    assert p.slim().logo_image == "" and p.slim().logo_hash == p.logo_hash
    assert validated_presentation(Presentation(logo_url="https://cdn.example/l.png")).logo_hash != p.logo_hash
    assert validated_presentation(Presentation()).logo_hash == ""


def test_the_api_carries_the_presentation_both_ways_and_updates_it_by_mask() -> None:
    message = application_pb2.Application(
        display_name="Orders app", client_type=application_pb2.CLIENT_TYPE_CONFIDENTIAL,
        redirect_uris=["https://app.example/cb"], logo_image=LOGO, homepage_url="https://app.example/",
        privacy_policy_url="https://app.example/privacy", terms_of_service_url="https://app.example/terms",
        scope_descriptions={"orders:read": "See your orders"})
    app = validated(application_from_proto(message))
    back = application_to_proto(app)
    assert back.logo_image == LOGO and dict(back.scope_descriptions) == {"orders:read": "See your orders"}
    assert back.terms_of_service_url == "https://app.example/terms"
    changes = application_changes(application_pb2.Application(scope_descriptions={"orders:write": "Place orders"},
                                                               logo_image=""),
                                  FieldMask(paths=["scope_descriptions", "logo_image"]), True, UPDATABLE)
    updated = validated(apply_changes(app, changes))
    assert updated.presentation.descriptions == {"orders:write": "Place orders"}
    assert updated.presentation.logo_image == "" and updated.presentation.logo_hash == ""
    assert updated.presentation.homepage_url == "https://app.example/"


def test_consent_shows_the_applications_logo_links_and_words() -> None:
    app = replace(APP, presentation=validated_presentation(Presentation(
        logo_image=LOGO, homepage_url="https://app.example/", terms_of_service_url="https://app.example/terms",
        scope_descriptions=(("orders:read", "See your orders"),))))
    look = Look(Translator("de"), Branding("Acme", scope_descriptions=(("orders:read", "Tenant words"),
                                                                       ("stock:read", "Den Bestand sehen"))),
                "/tenant/acme")
    href = logo_path("/tenant/acme", app)
    assert href == f"/tenant/acme/oauth2/applications/{app.client_id}/logo?v={app.presentation.logo_hash}"
    shown = app.presentation
    html = consent_page(look, Consent("Orders app", ["openid", "orders:read", "stock:read"], "ada@example.com",
                                      "/tenant/acme/oauth2/authorize/consent", {}, ("csrf_token", "t"), "/login",
                                      client_logo=href, homepage_url=shown.homepage_url,
                                      terms_of_service_url=shown.terms_of_service_url,
                                      scope_descriptions=shown.descriptions)).body.decode()
    assert f'src="{href}"' in html and 'alt=""' in html
    assert "See your orders" in html and "Tenant words" not in html and "Den Bestand sehen" in html
    assert 'href="https://app.example/"' in html and ">Website<" in html and ">Nutzungsbedingungen<" in html
    assert "Datenschutzerklärung" not in html  # no privacy link given: none shown


class _Store:
    def __init__(self, app: Application) -> None:
        self.app, self.reads = app, 0

    async def get(self, tenant_id: str, client_id: str) -> Application | None:
        self.reads += 1
        return self.app


def test_the_client_cache_keeps_no_logo_image() -> None:
    app = replace(APP, presentation=validated_presentation(Presentation(logo_image=LOGO)))
    store = _Store(app)
    use_cases = ApplicationUseCases(store)  # type: ignore[arg-type]

    async def run() -> tuple[Any, Any, Any]:
        return (await use_cases.find("t", app.client_id), await use_cases.find("t", app.client_id),
                await use_cases.find("t", app.client_id, full=True))

    first, cached, full = asyncio.run(run())
    assert first.presentation.logo_image == "" == cached.presentation.logo_image
    assert cached.presentation.logo_hash == app.presentation.logo_hash
    assert full.presentation.logo_image == LOGO and store.reads == 2
