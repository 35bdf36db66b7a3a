"""The icons of the "Continue with …" buttons (issue 12, item 1): the presets' brand marks
drawn inline and decorative, generic providers' uploaded icons checked like tenant logos
(SVG, oversized or mislabelled images refused naming icon_image), and the button markup in
light/dark and right-to-left pages under the pages' strict CSP."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from html.parser import HTMLParser

import pytest

from services.common.errors import InvalidArgument
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator
from services.common.pages.kit import Look, Page, ProviderLink, content_security_policy, provider_buttons
from services.common.pages.logos import MAX_LOGO_BYTES
from services.identity.federation.icons import icon_change, icon_path
from services.identity.federation.marks import MARKS, brand_mark
from services.identity.federation.model import PRESETS, ProviderType

pytestmark = pytest.mark.unit


def png(width: int = 1, height: int = 1, padding: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"tEXt", b"c\x00" + b"x" * padding) + chunk(b"IEND", b""))


def data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def refusal(value: str, provider_type: ProviderType = ProviderType.OIDC, current: str = "") -> InvalidArgument:
    with pytest.raises(InvalidArgument) as caught:
        icon_change(provider_type, "corp", value, current)
    assert caught.value.details == {"field": "icon_image"}
    assert caught.value.reason == "INVALID_IDENTITY_PROVIDER"
    return caught.value


# --- validation of uploads -----------------------------------------------------------------
def test_a_png_upload_is_stored_under_the_hash_of_its_bytes() -> None:
    image = png()
    change = icon_change(ProviderType.OIDC, "corp", data_url(image), "")
    assert change.upload is not None
    assert change.upload.media_type == "image/png" and change.upload.data == image
    assert re.fullmatch(r"[0-9a-f]{32}", change.icon_hash)
    assert icon_path("corp", change.icon_hash) == f"/federation/corp/icon/{change.icon_hash}"
    # Other bytes, another hash (so another URL: browsers may cache each for a year).
    assert icon_change(ProviderType.OIDC, "corp", data_url(png(2, 2)), "").icon_hash != change.icon_hash


def test_the_current_path_sent_back_keeps_the_icon_and_empty_removes_it() -> None:
    current = icon_change(ProviderType.OIDC, "corp", data_url(png()), "").icon_hash
    kept = icon_change(ProviderType.OIDC, "corp", icon_path("corp", current), current)
    assert kept.icon_hash == current and kept.upload is None
    assert icon_change(ProviderType.OIDC, "corp", "", current).icon_hash == ""
    # Another provider's (or a stale) path is not an icon.
    assert "uploaded image" in refusal(icon_path("other", current), current=current).message
    assert "uploaded image" in refusal(icon_path("corp", "0" * 32), current=current).message


@pytest.mark.parametrize("value, words", [
    (data_url(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"), "SVG"),
    # An SVG that claims to be a PNG: the bytes decide.
    (data_url(b'<?xml version="1.0"?><svg onload="alert(1)"/>', "image/png"), "SVG"),
    (data_url(png(padding=MAX_LOGO_BYTES)), "larger than 256 KiB"),
    (data_url(b"GIF89a" + b"\x00" * 20, "image/png"), "image/gif"),
    (data_url(b"not an image at all", "image/png"), "PNG, JPEG, WebP or GIF"),
    ("data:image/png;base64,@@@", "base64"),
    ("https://cdn.example.com/icon.png", "uploaded image"),
])
def test_unsafe_or_broken_uploads_are_refused_with_the_field_named(value: str, words: str) -> None:
    assert words in refusal(value).message


def test_presets_take_no_icon_they_show_their_brand_mark() -> None:
    for preset in PRESETS:
        assert "brand" in refusal(data_url(png()), preset).message
        assert icon_change(preset, "corp", "", "").icon_hash == ""


# --- the brand marks -------------------------------------------------------------------------
def test_every_preset_has_a_mark_and_the_generic_kind_none() -> None:
    assert set(MARKS) == set(PRESETS)
    assert brand_mark(ProviderType.OIDC) is None


@pytest.mark.parametrize("provider_type", list(MARKS))
def test_marks_are_plain_shapes_with_nothing_loaded_or_run(provider_type: ProviderType) -> None:
    view_box, shapes = MARKS[provider_type]
    assert re.fullmatch(r"0 0 \d+ \d+", view_box)
    tags = set(re.findall(r"<(\w+)", shapes))
    assert tags <= {"path", "rect"}
    assert not re.search(r"(href|url\(|on\w+=|style=|<script|https?:)", shapes, re.IGNORECASE)


def test_one_colour_marks_follow_the_text_colour_for_dark_mode() -> None:
    # Apple and GitHub allow their mark in black or white only: drawn in the button's text
    # colour, which is dark on the light button and light on the dark one.
    for kind in (ProviderType.APPLE, ProviderType.GITHUB):
        assert set(re.findall(r'fill="([^"]+)"', MARKS[kind][1])) == {"currentColor"}
    # Google's and Microsoft's marks keep their brand colours in both modes.
    assert set(re.findall(r'fill="([^"]+)"', MARKS[ProviderType.GOOGLE][1])) == {
        "#EA4335", "#4285F4", "#FBBC05", "#34A853"}
    assert set(re.findall(r'fill="([^"]+)"', MARKS[ProviderType.MICROSOFT][1])) == {
        "#F25022", "#7FBA00", "#00A4EF", "#FFB900"}


# --- the buttons -----------------------------------------------------------------------------
class Buttons(HTMLParser):
    """The provider links of a page: their accessible text and decorative icons."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, object]] = []
        self._in: dict[str, object] | None = None
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and "/federation/" in (a.get("href") or ""):
            self._in = {"href": a["href"], "text": "", "svg": None, "img": None, "class": a.get("class")}
            self.links.append(self._in)
        elif self._in is not None and tag == "svg":
            self._in["svg"] = a
            self._hidden_depth += 1
        elif self._in is not None and tag == "img":
            self._in["img"] = a

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._hidden_depth:
            self._hidden_depth -= 1
        if tag == "a":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None and not self._hidden_depth:
            self._in["text"] = str(self._in["text"]) + data


def render(language: str = "en") -> str:
    t = Translator(language)
    markup = provider_buttons([
        ProviderLink("/federation/google/start?return_to=%2Faccount", t("Continue with {provider}", provider="Google"),
                     MARKS[ProviderType.GOOGLE]),
        ProviderLink("/federation/corp/start", t("Continue with {provider}", provider='Corp "SSO"'),
                     icon_href="/federation/corp/icon/" + "a" * 32),
        ProviderLink("/federation/plain/start", t("Continue with {provider}", provider="Plain")),
    ], t("or"))
    return Page("Acme", t("Sign in"), parts=[markup]).render(Look(t, Branding("Acme")))


def test_icons_are_decorative_and_the_text_names_the_provider() -> None:
    parser = Buttons()
    parser.feed(render())
    google, corp, plain = parser.links
    assert google["text"] == "Continue with Google"
    svg = google["svg"]
    assert isinstance(svg, dict) and svg["aria-hidden"] == "true" and svg["focusable"] == "false"
    assert svg["viewbox"] == MARKS[ProviderType.GOOGLE][0]
    assert corp["text"] == 'Continue with Corp "SSO"'
    img = corp["img"]
    assert isinstance(img, dict) and img["alt"] == "" and img["src"] == "/federation/corp/icon/" + "a" * 32
    # A white tile behind an uploaded icon keeps a dark drawing visible in dark mode.
    assert "bg-white" in str(img["class"])
    assert plain["svg"] is None and plain["img"] is None and plain["text"] == "Continue with Plain"
    # The icon sits before the words in one centred row.
    assert "flex" in str(google["class"]).split() and "gap-3" in str(google["class"]).split()


def test_right_to_left_pages_keep_the_icon_at_the_start_of_the_button() -> None:
    page = render("ar")
    assert '<html lang="ar" dir="rtl">' in page
    parser = Buttons()
    parser.feed(page)
    # In a flex row the first child is at the line's start: right in Arabic, left in English.
    google = page[page.index('href="/federation/google/start'):]
    assert google.index("<svg") < google.index("</svg>") < google.index(str(parser.links[0]["text"]))
    assert "Google" in str(parser.links[0]["text"]) and parser.links[0]["text"] != "Continue with Google"


def test_the_buttons_load_nothing_from_another_origin_and_the_csp_stays_strict() -> None:
    page = render()
    assert "img-src 'self'" in content_security_policy()
    assert "script-src" not in content_security_policy()
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("/") for s in sources)
    # The only absolute URL is the SVG namespace, which loads nothing.
    assert set(re.findall(r'"(https?://[^"]*)"', page)) == {"http://www.w3.org/2000/svg"}
    assert "style=" not in page and "<script" not in page


# --- the admin API's mapping -------------------------------------------------------------------
def test_an_update_touches_the_icon_only_when_it_names_it() -> None:
    from binoauth.identity.v1 import identity_provider_service_pb2 as pb
    from services.identity.federation.servicers import icon_update, provider_update

    renamed = pb.IdentityProvider(provider_id="corp", display_name="Corp")
    assert icon_update(renamed, []) is None  # no mask: only the fields sent
    assert provider_update(renamed, []) == {"display_name": "Corp"}
    assert icon_update(pb.IdentityProvider(provider_id="corp"), ["icon_image"]) == ""  # removes it
    upload = pb.IdentityProvider(provider_id="corp", icon_image="data:image/png;base64,AAAA")
    assert icon_update(upload, []) == "data:image/png;base64,AAAA"
    assert provider_update(upload, ["icon_image"]) == {}  # not a field of the stored configuration
