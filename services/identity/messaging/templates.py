"""Plain-text + HTML email templates, branded with the tenant's display name, in the
recipient's language: every sentence is a msgid of the hosted pages' catalogue
(services/common/pages/locales/*.po), so a mail speaks the language of the page that caused it.

Every value is HTML-escaped in the HTML part and stripped of control characters in both
parts and the subject (no header injection, no forged lines). Links come from `build_link`,
which only accepts a configured http(s) base URL: never build them from a request's Host."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote, urlencode, urlsplit

from services.common.pages.i18n import SOURCE_LANGUAGE, Translator, negotiate
from services.identity.messaging.mail import OutgoingMail

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SAFE_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)*/?$")
MAX_TENANT_NAME: Final = 100


def build_link(public_base: str, path: str, **params: str) -> str:
    """`public_base` + fixed `path` + url-encoded query parameters.

    `public_base` must be an absolute http(s) URL without credentials, query or fragment
    (e.g. "https://auth.example.com/tenant/acme"); `path` a plain absolute path such as
    "/verify-email". Anything else raises ValueError."""
    if _CONTROL.search(public_base) or " " in public_base or "\\" in public_base:
        raise ValueError("the public base URL contains forbidden characters")
    parts = urlsplit(public_base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the public base URL must be an absolute http(s) URL")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError("the public base URL must not carry credentials")
    if parts.query or parts.fragment or "?" in public_base or "#" in public_base:
        raise ValueError("the public base URL must not have a query or fragment")
    if not path.startswith("/") or path.startswith("//") or not _SAFE_PATH.match(path) \
            or any(seg in (".", "..") for seg in path.split("/")):
        raise ValueError("the link path must be a plain absolute path")
    for name, value in params.items():
        if not isinstance(value, str):
            raise TypeError(f"link parameter {name!r} must be a string")
    link = public_base.rstrip("/") + path
    if params:
        link += "?" + urlencode(params, quote_via=quote, safe="")
    return link


def _clean(value: str) -> str:
    """One line of text: control characters (CR, LF, NUL, ...) become a single space."""
    return _CONTROL.sub(" ", value).strip()


def _clean_tenant(name: str) -> str:
    cleaned = " ".join(_clean(name).split())[:MAX_TENANT_NAME]
    return cleaned or "BinoAuth"


def _checked_link(name: str, link: str) -> str:
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL.search(link) or " " in link:
        raise ValueError(f"link {name!r} must be an absolute http(s) URL built with build_link")
    return link


@dataclass(frozen=True)
class _Template:
    """A mail as blocks, rendered to both the text and the HTML part: ("p", msgid) a
    paragraph, ("button", link name, label msgid) a link, ("code", msgid) a paragraph whose
    {code} is shown large. Msgids use {tenant} and the template's values."""

    subject: str
    blocks: tuple[tuple[str, ...], ...]
    links: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    defaults: Mapping[str, str] = field(default_factory=dict)


HELLO: Final = "Hello,"
COPY_LINK: Final = "Or copy this address into your browser:"
SENT_BY: Final = "This message was sent by {tenant}. You cannot reply to it."
ENTER_CODE: Final = ("code", "Or enter this code: {code}")
# The text message that verifies a phone number (one line; the tenant's name first).
SMS_CODE: Final = "{tenant}: your verification code is {code}"

TEMPLATES: Final[Mapping[str, _Template]] = {
    "verify_email": _Template(
        subject="Verify your email address for {tenant}",
        blocks=(("p", "Confirm your email address for your {tenant} account by opening this link:"),
                ("button", "verify", "Verify email address"), ENTER_CODE,
                ("p", "The link and code expire in {expires_minutes} minutes. If you did not create an account, "
                      "you can ignore this message.")),
        links=frozenset({"verify"}), values=frozenset({"code", "expires_minutes"}),
        defaults={"expires_minutes": "10"},
    ),
    "magic_link": _Template(
        subject="Sign in to {tenant}",
        blocks=(("p", "Open this link to sign in to {tenant}:"), ("button", "login", "Sign in"),
                ("p", "The link works once and expires in {expires_minutes} minutes. If you did not ask to sign "
                      "in, you can ignore this message.")),
        links=frozenset({"login"}), values=frozenset({"expires_minutes"}),
        defaults={"expires_minutes": "10"},
    ),
    "password_reset": _Template(
        subject="Reset your {tenant} password",
        blocks=(("p", "Someone asked to reset the password of your {tenant} account. To choose a new password, "
                      "open this link:"),
                ("button", "reset", "Choose a new password"), ENTER_CODE,
                ("p", "The link and code expire in {expires_minutes} minutes. If you did not ask for this, you "
                      "can ignore this message: your password stays the same.")),
        links=frozenset({"reset"}), values=frozenset({"code", "expires_minutes"}),
        defaults={"expires_minutes": "10"},
    ),
    "invite": _Template(
        subject="You have been invited to {tenant}",
        blocks=(("p", "An account was created for you at {tenant}. To set your password and sign in, open this "
                      "link:"),
                ("button", "accept", "Set your password"),
                ("p", "The link works once and expires in {expires_hours} hours.")),
        links=frozenset({"accept"}), values=frozenset({"expires_hours"}),
        defaults={"expires_hours": "72"},
    ),
    "email_changed_notice": _Template(
        subject="The email address of your {tenant} account was changed",
        blocks=(("p", "The email address of your {tenant} account was changed, and this address will no longer "
                      "receive messages about it."),
                ("p", "If you made this change, there is nothing to do. If you did not, contact the "
                      "administrators of {tenant} at once: someone else may have access to your account.")),
    ),
    "signup_existing_account": _Template(
        # Looks like any other account mail: sign-up answers the same whether or not the
        # address is registered, and only the address owner learns the difference.
        subject="Your {tenant} account",
        blocks=(("p", "Someone tried to create a {tenant} account with this email address, but it already has "
                      "an account."),
                ("p", "If it was you, sign in:"), ("button", "login", "Sign in"),
                ("p", "If you forgot your password, reset it:"), ("button", "reset", "Reset your password"),
                ("p", "If it was not you, you can ignore this message: nothing was changed.")),
        links=frozenset({"login", "reset"}),
    ),
}


def msgids() -> set[str]:
    """Every sentence of every mail (the catalogue test checks each language has them)."""
    found = {HELLO, COPY_LINK, SENT_BY, SMS_CODE}
    for spec in TEMPLATES.values():
        found.add(spec.subject)
        found.update(block[-1] for block in spec.blocks)
    return found


def mail_language(requested: str, user_locale: str, settings: Mapping[str, Any]) -> str:
    """The language of a mail: the page's that caused it, else the recipient's profile
    locale, else the tenant's default language, else English."""
    branding = settings.get("branding") if isinstance(settings, Mapping) else None
    default = branding.get("default_language", "") if isinstance(branding, Mapping) else ""
    return negotiate(f"{requested} {user_locale}".strip(), "", default if isinstance(default, str) else "")


def sms_text(tenant_name: str, code: str, language: str = SOURCE_LANGUAGE) -> str:
    """The phone verification text in `language` (see mail_language), one line."""
    return _clean(Translator(negotiate(language))(SMS_CODE, tenant=_clean_tenant(tenant_name), code=_clean(code)))


_PAGE = ('<!DOCTYPE html>\n<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><title>{subject}</title>'
         '</head>\n<body style="font-family: sans-serif; line-height: 1.5; color: #222; max-width: 560px; '
         'margin: 0 auto; padding: 24px;">\n<p style="font-size: 18px; font-weight: bold;">{tenant}</p>\n{body}\n'
         '<p style="color: #777; font-size: 12px;">{footer}</p>\n</body></html>\n')
_BUTTON = ('<p><a href="{link}" style="display: inline-block; padding: 10px 18px; background: #1a56db; '
           'color: #fff; text-decoration: none; border-radius: 4px;">{label}</a></p>\n'
           '<p style="font-size: 12px; color: #555;">{copy}<br>{link}</p>')
_CODE = '<strong style="font-size: 20px; letter-spacing: 2px;">{code}</strong>'


def _number(value: str) -> object:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else value


def render(template: str, *, tenant_name: str, to: str, links: Mapping[str, str],
           values: Mapping[str, str], language: str = SOURCE_LANGUAGE) -> OutgoingMail:
    """Renders `template` for `to` in `language` (an offered language; see mail_language).
    Links and values must be exactly the template's own (optional values fall back to their
    defaults); a missing or unknown one is a ValueError, so a typo cannot silently drop a link
    from a mail."""
    spec = TEMPLATES.get(template)
    if spec is None:
        raise ValueError(f"unknown email template {template!r}")
    if set(links) != spec.links:
        raise ValueError(f"template {template!r} takes links {sorted(spec.links)}, got {sorted(links)}")
    unknown = set(values) - spec.values
    missing = spec.values - set(values) - set(spec.defaults)
    if unknown or missing:
        raise ValueError(f"template {template!r} takes values {sorted(spec.values)}, got {sorted(values)}")
    t = Translator(negotiate(language))
    tenant = _clean_tenant(tenant_name)
    plain: dict[str, Any] = {**spec.defaults, **{k: _clean(v) for k, v in values.items()}, "tenant": tenant}
    # Durations are numbers, written the language's way; codes stay as they are.
    plain = {k: _number(v) if k.startswith("expires_") else v for k, v in plain.items()}
    urls = {k: _checked_link(k, v) for k, v in links.items()}
    escaped = {k: html.escape(v, quote=True) if isinstance(v, str) else v for k, v in plain.items()}

    def markup(msgid: str, **extra: Any) -> str:
        # The translation is escaped before the (already escaped) values go in.
        return t.fill(html.escape(t(msgid), quote=False), **{**escaped, **extra})

    text = [t(HELLO)]
    parts = [f"<p>{html.escape(t(HELLO), quote=False)}</p>"]
    for block in spec.blocks:
        kind, msgid = block[0], block[-1]
        if kind == "button":
            text.append(urls[block[1]])
            parts.append(_BUTTON.format(link=html.escape(urls[block[1]], quote=True),
                                        label=markup(msgid), copy=markup(COPY_LINK)))
        elif kind == "code":
            text.append(t(msgid, **plain))
            parts.append("<p>" + markup(msgid, code=_CODE.format(code=escaped["code"])) + "</p>")
        else:
            text.append(t(msgid, **plain))
            parts.append(f"<p>{markup(msgid)}</p>")
    subject = t(spec.subject, tenant=tenant)
    page = _PAGE.format(lang=t.language, dir=t.direction, subject=html.escape(subject, quote=True),
                        tenant=escaped["tenant"], body="\n".join(parts), footer=markup(SENT_BY))
    return OutgoingMail(to=to, subject=subject, text="\n\n".join(text) + f"\n\n-- {tenant}\n", html=page,
                        template=template, from_name=tenant)
