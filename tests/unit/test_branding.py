"""Tenant branding settings: what the pages may show is validated on the way in (clear
INVALID_BRANDING errors), and the colours reach the pages only as validated CSS variables."""

from __future__ import annotations

import asyncio
import base64

import pytest

from services.common.errors import InvalidArgument
from services.common.outbound import OutboundPolicy, OutboundRefused
from services.common.pages.branding import DEFAULT_PRIMARY, Branding, colour_problem, contrast, text_on
from services.common.pages.logos import MAX_LOGO_BYTES, Logo, LogoRefused, LogoSource, sniff
from services.tenant.tenants import TenantSettings, validate_settings

pytestmark = pytest.mark.unit


def _settings(**branding: object) -> TenantSettings:
    return validate_settings(TenantSettings.from_dict({"branding": branding}))


def test_wcag_contrast() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast(DEFAULT_PRIMARY, "#ffffff"), 2) >= 4.5
    assert text_on("#fde047") != "#ffffff" and text_on("#1e3a8a") == "#ffffff"
    assert colour_problem("#7c3aed") is None
    assert colour_problem("#facc15") and colour_problem("#ff0") and colour_problem("red")


def test_valid_branding_is_kept() -> None:
    settings = _settings(primary_color="#7C3AED", support_url="https://acme.example/help",
                         privacy_policy_url="https://acme.example/privacy", footer=" Acme GmbH ",
                         default_language="de", scope_descriptions={"read:orders": "See your orders"})
    assert settings.branding.footer == "Acme GmbH"
    branding = Branding.from_settings("Acme", settings.to_dict())
    assert branding.primary_color == "#7c3aed" and branding.default_language == "de"
    assert branding.stylesheet() == ":root{--brand:#7c3aed;--brand-fg:#ffffff}\n"


@pytest.mark.parametrize(("branding", "field"), [
    ({"primary_color": "#facc15"}, "primary_color"),  # yellow: no AA contrast
    ({"primary_color": "red;}body{display:none"}, "primary_color"),
    ({"support_url": "http://acme.example/help"}, "support_url"),
    ({"privacy_policy_url": "javascript:alert(1)"}, "privacy_policy_url"),
    ({"support_url": "https://user:pw@acme.example/"}, "support_url"),
    ({"footer": "two\nlines"}, "footer"),
    ({"footer": "x" * 201}, "footer"),
    ({"default_language": "xx"}, "default_language"),
    ({"scope_descriptions": {"bad scope": "x"}}, "scope_descriptions"),
    ({"scope_descriptions": {"ok": ""}}, "scope_descriptions"),
])
def test_bad_branding_is_refused_clearly(branding: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        _settings(**branding)
    assert refused.value.reason == "INVALID_BRANDING"
    assert refused.value.details["field"] == f"settings.branding.{field}"


def test_old_or_odd_stored_branding_falls_back_to_the_default() -> None:
    branding = Branding.from_settings("Acme", {"branding": {"primary_color": "#ffff00", "support_url": "http://x"}})
    assert branding.primary_color == DEFAULT_PRIMARY and branding.support_url == ""
    assert Branding.from_settings("Acme", {}).stylesheet().startswith(":root{--brand:#0969da;")


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def _data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode()


def test_an_uploaded_logo_is_kept_and_served_from_the_pages_origin() -> None:
    settings = _settings(logo_image=_data_url(PNG))
    branding = Branding.from_settings("Acme", settings.to_dict())
    assert branding.logo_href("/tenant/acme").startswith("/tenant/acme/branding/logo?v=")
    assert asyncio.run(LogoSource(OutboundPolicy()).logo("", branding.logo_image)) == Logo("image/png", PNG)


@pytest.mark.parametrize(("branding", "words"), [
    ({"logo_image": _data_url(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                              "image/svg+xml")}, "SVG"),
    ({"logo_image": _data_url(b'<svg onload="alert(1)"/>')}, "SVG"),  # SVG bytes claiming to be PNG
    ({"logo_image": _data_url(PNG + b"\x00" * (20 * 1024 * 1024))}, "larger than 256 KiB"),
    ({"logo_image": _data_url(b"GIF89a" + b"\x00" * 20, "image/png")}, "its bytes are image/gif"),
    ({"logo_image": "https://example.com/logo.png"}, "data URL"),
    ({"logo_url": "http://example.com/logo.png"}, "https"),
    ({"logo_url": "https://user:pw@example.com/logo.png"}, "credentials"),
])
def test_bad_logos_are_refused_clearly(branding: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        _settings(**branding)
    assert refused.value.reason == "INVALID_BRANDING" and words in refused.value.message, refused.value.message


def test_a_logo_url_is_fetched_through_the_outbound_client_checked_and_cached() -> None:
    fetched: list[tuple[str, int]] = []
    answers = {"https://cdn.example/logo.png": PNG, "https://cdn.example/evil.svg": b"<svg><script/></svg>"}

    def fetcher(url: str, policy: OutboundPolicy) -> bytes:
        fetched.append((url, policy.max_bytes))
        if url not in answers:
            raise OutboundRefused("the server answered 404")
        return answers[url]

    now = [0.0]
    source = LogoSource(OutboundPolicy(), fetcher, clock=lambda: now[0])
    for _ in range(3):
        assert asyncio.run(source.logo("https://cdn.example/logo.png", "")) == Logo("image/png", PNG)
    assert fetched == [("https://cdn.example/logo.png", MAX_LOGO_BYTES)]  # once, capped
    assert asyncio.run(source.logo("https://cdn.example/evil.svg", "")) is None
    assert asyncio.run(source.logo("https://cdn.example/missing.png", "")) is None
    assert asyncio.run(source.logo("http://cdn.example/logo.png", "")) is None  # never fetched
    now[0] += 3601
    asyncio.run(source.logo("https://cdn.example/logo.png", ""))
    assert len([u for u, _ in fetched if u.endswith("logo.png")]) == 2


def test_sniffing() -> None:
    assert sniff(PNG) == "image/png" and sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    for bad in (b"<?xml version='1.0'?><svg/>", b"RIFF\x00\x00\x00\x00WAVE", b"hello"):
        with pytest.raises(LogoRefused):
            sniff(bad)
