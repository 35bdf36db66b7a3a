"""What a scope lets an application do, in words, for the consent pages."""

from __future__ import annotations

from services.common.pages.i18n import Translator

# Built-in scopes (OpenID Connect Core 5.4 and 11). The texts are catalogue msgids.
BUILT_IN: dict[str, str] = {
    "openid": "Sign you in with your account",
    "profile": "See your name and profile details",
    "email": "See your email address",
    "phone": "See your phone number",
    "address": "See your postal address",
    "offline_access": "Keep access while you are not using it",
}


def describe(scopes: list[str], t: Translator, custom: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(scope, description) for each scope: the application's or tenant's own description, a
    built-in one (translated), or the scope's name when nobody described it."""
    custom = custom or {}
    out = []
    for scope in scopes:
        if custom.get(scope):
            out.append((scope, custom[scope]))
        elif scope in BUILT_IN:
            out.append((scope, t(BUILT_IN[scope])))
        else:
            out.append((scope, t("Use the permission “{scope}”", scope=scope)))
    return out
