"""The icons of the "Continue with …" buttons through Envoy (issue 12, item 1): a preset's
brand mark drawn inline on the hosted login page, a generic provider's uploaded icon linked
on this origin and served with its type and a year of caching, and the refusals (SVG, a
preset with an icon) in the standard envelope naming icon_image."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.e2e.helpers import assert_envelope
from tools.stack import Stack

pytestmark = pytest.mark.e2e


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x1f\x6f\xeb\xff")) + chunk(b"IEND", b""))


def data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def test_login_page_shows_brand_marks_and_uploaded_icons(stack: Stack, gateway: httpx.Client,
                                                         platform_headers: dict[str, str],
                                                         new_tenant: Callable[..., dict[str, Any]]) -> None:
    tenant = new_tenant()["tenant_id"]
    base = f"/tenant/{tenant}/api/v1/identityProviders"
    admin = platform_headers
    google = gateway.post(base, headers=admin, json={
        "provider_id": "google", "provider_type": "PROVIDER_TYPE_GOOGLE", "client_id": "g-client",
        "client_secret": "g-secret", "enabled": True, "display_order": 1})
    assert google.status_code == 200, google.text
    assert google.json().get("icon_image", "") == ""

    # --- refusals: in the envelope, naming the field ------------------------------------------
    svg = data_url(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml")
    corp = {"provider_id": "corp", "provider_type": "PROVIDER_TYPE_OIDC", "display_name": "Corp SSO",
            "issuer": "https://sso.example.com", "client_id": "c-client", "client_secret": "c-secret",
            "enabled": True, "display_order": 2}
    refused = assert_envelope(gateway.post(base, headers=admin, json={**corp, "icon_image": svg}), 400)
    assert refused["details"]["field"] == "icon_image"
    assert "SVG" in refused["message"]
    refused = assert_envelope(gateway.patch(f"{base}/google", headers=admin, json={"icon_image": data_url(png())}),
                              400)
    assert refused["details"]["field"] == "icon_image"

    # --- an uploaded icon: stored, answered as a path on this origin ----------------------------
    created = gateway.post(base, headers=admin, json={**corp, "icon_image": data_url(png())})
    assert created.status_code == 200, created.text
    icon_path = created.json()["icon_image"]
    assert re.fullmatch(r"/federation/corp/icon/[0-9a-f]{32}", icon_path), icon_path
    assert gateway.get(f"{base}/corp", headers=admin).json()["icon_image"] == icon_path

    # --- the hosted login page -------------------------------------------------------------------
    browser = httpx.Client(base_url=stack.public_url, timeout=30)
    page = browser.get(f"/tenant/{tenant}/login")
    assert page.status_code == 200, page.text
    html = page.text
    google_button = re.search(r'<a [^>]*href="/tenant/[^"]*/federation/google/start[^"]*">(.*?)</a>', html)
    assert google_button, html
    assert '<svg class="h-5 w-5 shrink-0" viewBox="0 0 48 48" aria-hidden="true"' in google_button.group(1)
    assert google_button.group(1).endswith("</svg>Continue with Google")
    corp_button = re.search(r'<a [^>]*href="/tenant/[^"]*/federation/corp/start[^"]*">(.*?)</a>', html)
    assert corp_button, html
    image = re.search(r'<img [^>]*src="([^"]+)"[^>]*alt=""', corp_button.group(1))
    assert image and image.group(1) == f"/tenant/{tenant}{icon_path}"
    assert "img-src 'self'" in page.headers["content-security-policy"]

    # --- the icon URL: its type, a year of caching, nothing to sniff --------------------------
    icon = browser.get(image.group(1))
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/png"
    assert icon.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert icon.headers["x-content-type-options"] == "nosniff"
    assert icon.content == png()
    missing = browser.get(f"/tenant/{tenant}/federation/corp/icon/{'0' * 32}")
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"

    # --- sent back unchanged it stays; empty removes it -----------------------------------------
    kept = gateway.patch(f"{base}/corp", headers=admin, json={"icon_image": icon_path, "display_name": "Corp"})
    assert kept.status_code == 200, kept.text
    assert kept.json()["icon_image"] == icon_path
    removed = gateway.patch(f"{base}/corp?update_mask=icon_image", headers=admin, json={"icon_image": ""})
    assert removed.status_code == 200, removed.text
    assert removed.json().get("icon_image", "") == ""
    assert browser.get(image.group(1)).status_code == 404
    assert "<img" not in browser.get(f"/tenant/{tenant}/login").text.split("federation/corp/start")[1].split("</a>")[0]


SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "pages"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_buttons_in_chromium_light_dark_and_right_to_left(chromium: Any, stack: Stack, gateway: httpx.Client,
                                                          platform_headers: dict[str, str],
                                                          new_tenant: Callable[..., dict[str, Any]]) -> None:
    """Every preset's mark and an uploaded icon, drawn (no broken image, nothing blocked by the
    CSP), at the start of the button in English and Arabic, light and dark; axe-core finds no
    serious or critical violation. Screenshots: build/screenshots/pages/login-providers-*.png."""
    tenant = new_tenant(display_name="Icons & Co")["tenant_id"]
    base = f"/tenant/{tenant}/api/v1/identityProviders"
    apple_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    for order, (provider_id, kind, extra) in enumerate((
            ("google", "PROVIDER_TYPE_GOOGLE", {"client_secret": "s"}),
            ("microsoft", "PROVIDER_TYPE_MICROSOFT", {"client_secret": "s"}),
            ("apple", "PROVIDER_TYPE_APPLE", {"private_key": apple_key, "key_id": "KEY1", "team_id": "TEAM1"}),
            ("github", "PROVIDER_TYPE_GITHUB", {"client_secret": "s"}),
            ("corp", "PROVIDER_TYPE_OIDC", {"client_secret": "s", "display_name": "Corp SSO",
                                            "issuer": "https://sso.example.com", "icon_image": data_url(png())}))):
        created = gateway.post(base, headers=platform_headers, json={
            "provider_id": provider_id, "provider_type": kind, "client_id": f"{provider_id}-client", "enabled": True,
            "display_order": order, **extra})
        assert created.status_code == 200, created.text
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text
            or "Refused" in m.text else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        for language in ("en", "ar"):
            page.goto(f"{stack.gateway_url}/tenant/{tenant}/login?ui_locales={language}")
            links = page.locator("a[href*='/federation/'][href*='/start']")
            assert links.count() == 5
            rtl = page.evaluate("document.documentElement.dir") == "rtl"
            assert rtl == (language == "ar")
            for i in range(5):
                link = links.nth(i)
                icon = link.locator("svg, img")
                assert icon.count() == 1, link.inner_html()
                assert (icon.get_attribute("aria-hidden") == "true") or (icon.get_attribute("alt") == "")
                box = icon.bounding_box()
                words = link.evaluate("a => { const r = document.createRange(); "
                                      "r.selectNodeContents([...a.childNodes].find(n => n.nodeType === 3)); "
                                      "const b = r.getBoundingClientRect(); return {x: b.x, width: b.width}; }")
                assert box and words and 18 <= box["width"] <= 22 and 18 <= box["height"] <= 22
                # The icon at the start of the line: left in English, right in Arabic.
                assert (box["x"] >= words["x"] + words["width"]) if rtl else (box["x"] + box["width"] <= words["x"])
            image = page.locator("a[href*='/federation/corp/start'] img")
            assert image.evaluate("i => i.complete && i.naturalWidth") == 1
            # An accessible name from the words only: the marks add none.
            names = [links.nth(i).evaluate("a => a.innerText.trim()") for i in range(5)]
            assert all("Google" in n or "Microsoft" in n or "Apple" in n or "GitHub" in n or "Corp SSO" in n
                       for n in names), names
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                # The one-colour marks follow the text: dark on light, light on dark.
                github = page.locator("a[href*='/federation/github/start'] svg path")
                fill = github.evaluate("p => getComputedStyle(p).fill")
                colour = page.locator("a[href*='/federation/github/start']").evaluate("a => getComputedStyle(a).color")
                assert fill == colour, (fill, colour)
                page.screenshot(path=str(SHOTS / f"login-providers-{language}-{scheme}.png"), full_page=True)
            page.emulate_media(color_scheme="light")
            assert AXE.exists(), f"{AXE} is missing: run npm ci (make test does)"
            page.evaluate(AXE.read_text() + "\n;0")
            found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                  ".violations.map(v => ({id: v.id, impact: v.impact}))")
            assert [v for v in found if v["impact"] in ("serious", "critical")] == [], found
        assert problems == [], problems
    finally:
        context.close()
