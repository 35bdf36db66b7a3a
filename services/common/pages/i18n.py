"""Message catalogues and language negotiation for the hosted pages.

Every user-visible string is an English msgid looked up in a gettext catalogue
(locales/<language>.po, read with Babel); English is the source language and needs no
catalogue. A language is offered as soon as its .po file exists. The language of one page
is, in order: the OIDC `ui_locales` parameter, the browser's Accept-Language, the tenant's
default language (settings.branding.default_language), English (as Keycloak orders them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
SOURCE_LANGUAGE = "en"
MAX_HEADER = 512
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation of one language ({} for English). Untranslated or fuzzy entries
    are left out, so they fall back to English instead of showing an empty string."""
    if language == SOURCE_LANGUAGE:
        return {}
    with (LOCALES_DIR / f"{language}.po").open("rb") as handle:
        po = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


@cache
def languages() -> tuple[str, ...]:
    """The languages the pages can be shown in: English plus one per .po file."""
    return (SOURCE_LANGUAGE, *sorted(p.stem for p in LOCALES_DIR.glob("*.po")))


def supported(tag: str) -> str:
    """The offered language a BCP 47 tag selects ("de-AT" -> "de"), or ""."""
    tag = tag.strip()
    if not _TAG.fullmatch(tag):
        return ""
    offered = languages()
    exact = tag.replace("_", "-").lower()
    if exact in offered:
        return exact
    primary = exact.split("-", 1)[0]
    return primary if primary in offered else ""


def requested_language(ui_locales: str) -> str:
    """The first offered language of a ui_locales value ("fr de" -> "de"), or "". Pages carry
    this on in their links and forms, never the raw value."""
    for tag in ui_locales[:MAX_HEADER].split():
        language = supported(tag)
        if language:
            return language
    return ""


def accept_language(header: str) -> list[str]:
    """The tags of an Accept-Language header, best first (RFC 9110 12.5.4); q=0 is "not this"."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header[:MAX_HEADER].split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate(ui_locales: str = "", accept: str = "", tenant_default: str = "") -> str:
    """The language of one page (see the module docstring for the order)."""
    candidates = [*ui_locales[:MAX_HEADER].split(), *accept_language(accept), tenant_default]
    for tag in candidates:
        language = supported(tag) if tag else ""
        if language:
            return language
    return SOURCE_LANGUAGE


@dataclass(frozen=True)
class Translator:
    """Translates the msgids of one language; `{name}` placeholders are filled after lookup,
    so a translation may reorder them."""

    language: str = SOURCE_LANGUAGE

    def __call__(self, msgid: str, **values: object) -> str:
        """Numbers and dates among `values` are written the language's way (Babel, CLDR)."""
        text = catalogue(self.language).get(msgid, msgid)
        return self.fill(text, **values) if values else text

    def fill(self, text: str, **values: object) -> str:
        """`text` (already translated) with its placeholders filled, numbers and dates localised."""
        return text.format(**{k: self.localised(v) for k, v in values.items()})

    def localised(self, value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.number(value)
        if isinstance(value, date):
            return self.date(value)
        return value

    def number(self, value: float) -> str:
        """1234.5 -> "1,234.5" (en), "1.234,5" (de)."""
        return format_decimal(value, locale=self.language)

    def date(self, value: date) -> str:
        """A date in the language's long form: "4 December 2026", "4. Dezember 2026"."""
        return format_date(value, format="long", locale=self.language)

    def has(self, msgid: str) -> bool:
        return self.language == SOURCE_LANGUAGE or msgid in catalogue(self.language)

    @property
    def direction(self) -> str:
        """"rtl" for right-to-left scripts (from CLDR through Babel), else "ltr"."""
        try:
            order = Locale.parse(self.language).character_order
        except (UnknownLocaleError, ValueError):
            return "ltr"
        return "rtl" if order == "right-to-left" else "ltr"
