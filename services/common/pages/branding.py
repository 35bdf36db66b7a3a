"""A tenant's branding (settings.branding) as the pages use it, and the colour rules the
tenant service validates it with: a primary colour is accepted only when white or black text
on it, and the colour as text on the white card, reach WCAG 2.1 AA (4.5:1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.common.pages.logos import LOGO_PATH, logo_version

DEFAULT_PRIMARY = "#0969da"
AA_NORMAL_TEXT = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# An uploaded logo's path once the tenant service stored it apart from the settings.
STORED_LOGO = re.compile(r"^/branding/logos/[0-9a-f]{32}$")
WHITE, BLACK = "#ffffff", "#111827"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of #rrggbb (WCAG 2.1)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_colour(value: str) -> bool:
    return bool(_HEX.fullmatch(value))


def text_on(colour: str) -> str:
    """White or near-black, whichever reads better on `colour`."""
    return WHITE if contrast(colour, WHITE) >= contrast(colour, BLACK) else BLACK


def colour_problem(colour: str) -> str | None:
    """Why `colour` cannot be a primary colour, or None."""
    if not is_colour(colour):
        return "must be a colour like #0969da"
    if contrast(colour, text_on(colour)) < AA_NORMAL_TEXT or contrast(colour, WHITE) < AA_NORMAL_TEXT:
        return (f"has too little contrast: links in this colour on white and button text on it need "
                f"{AA_NORMAL_TEXT}:1 (WCAG AA); pick a darker colour")
    return None


@dataclass(frozen=True)
class Branding:
    display_name: str
    primary_color: str = DEFAULT_PRIMARY
    support_url: str = ""
    privacy_policy_url: str = ""
    footer: str = ""
    default_language: str = ""
    scope_descriptions: tuple[tuple[str, str], ...] = ()
    logo_url: str = ""
    logo_image: str = ""

    def logo_href(self, prefix: str) -> str:
        """The same-origin URL of the logo (versioned), or "" without one. An upload is stored
        apart from the settings (services/tenant/logos.py) at its own hashed path."""
        if STORED_LOGO.fullmatch(self.logo_image):
            return prefix + self.logo_image
        version = logo_version(self.logo_url, self.logo_image)
        return f"{prefix}{LOGO_PATH}?v={version}" if version else ""

    @classmethod
    def from_settings(cls, display_name: str, settings: dict[str, Any]) -> Branding:
        """From a tenant's settings tree; anything malformed falls back to the default (the
        tenant service validated it, this only keeps a page up on old or odd data)."""
        raw = settings.get("branding") if isinstance(settings, dict) else None
        raw = raw if isinstance(raw, dict) else {}

        def text(key: str) -> str:
            value = raw.get(key, "")
            return value if isinstance(value, str) else ""

        colour = text("primary_color")
        descriptions = raw.get("scope_descriptions")
        pairs = tuple(sorted((str(k), str(v)) for k, v in descriptions.items())) \
            if isinstance(descriptions, dict) else ()
        return cls(
            display_name=display_name,
            primary_color=colour.lower() if colour and colour_problem(colour) is None else DEFAULT_PRIMARY,
            support_url=text("support_url") if text("support_url").startswith("https://") else "",
            privacy_policy_url=text("privacy_policy_url") if text("privacy_policy_url").startswith("https://")
            else "",
            footer=text("footer"),
            default_language=text("default_language"),
            scope_descriptions=pairs,
            logo_url=text("logo_url") if text("logo_url").startswith("https://") else "",
            logo_image=text("logo_image") if text("logo_image").startswith("data:image/")
            or STORED_LOGO.fullmatch(text("logo_image")) else "",
        )

    def stylesheet(self) -> str:
        """/branding.css: the colours the Tailwind build reads as CSS variables (web/pages.css).
        Only validated #rrggbb values reach it."""
        return f":root{{--brand:{self.primary_color};--brand-fg:{text_on(self.primary_color)}}}\n"
