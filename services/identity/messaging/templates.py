"""Plain-text + HTML email templates, branded with the tenant's display name.

Every value is HTML-escaped in the HTML part and stripped of control characters in both
parts and the subject (no header injection, no forged lines). Links come from `build_link`,
which only accepts a configured http(s) base URL: never build them from a request's Host."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Template
from typing import Final
from urllib.parse import quote, urlencode, urlsplit

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
    subject: str
    text: str
    html: str
    links: frozenset[str] = frozenset()
    values: frozenset[str] = frozenset()
    defaults: Mapping[str, str] = field(default_factory=dict)


_HTML_PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>$subject</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #222; max-width: 560px; margin: 0 auto; padding: 24px;">
<p style="font-size: 18px; font-weight: bold;">$tenant</p>
$body
<p style="color: #777; font-size: 12px;">This message was sent by $tenant. You cannot reply to it.</p>
</body></html>
""")

_BUTTON = ('<p><a href="${link_%s}" style="display: inline-block; padding: 10px 18px; background: #1a56db; '
           'color: #fff; text-decoration: none; border-radius: 4px;">%s</a></p>\n'
           '<p style="font-size: 12px; color: #555;">Or copy this address into your browser:<br>${link_%s}</p>')


def _button(link: str, label: str) -> str:
    return _BUTTON % (link, label, link)


TEMPLATES: Final[Mapping[str, _Template]] = {
    "verify_email": _Template(
        subject="Verify your email address for $tenant",
        text=("Hello,\n\nConfirm your email address for your $tenant account by opening this link:\n\n"
              "$link_verify\n\nOr enter this code: $code\n\n"
              "The link and code expire in $expires_minutes minutes. "
              "If you did not create an account, you can ignore this message.\n\n-- $tenant\n"),
        html=("<p>Hello,</p><p>Confirm your email address for your $tenant account:</p>\n"
              + _button("verify", "Verify email address")
              + "\n<p>Or enter this code: <strong style=\"font-size: 20px; letter-spacing: 2px;\">$code</strong></p>\n"
              "<p>The link and code expire in $expires_minutes minutes. "
              "If you did not create an account, you can ignore this message.</p>"),
        links=frozenset({"verify"}), values=frozenset({"code", "expires_minutes"}),
        defaults={"expires_minutes": "10"},
    ),
    "magic_link": _Template(
        subject="Sign in to $tenant",
        text=("Hello,\n\nOpen this link to sign in to $tenant:\n\n$link_login\n\n"
              "The link works once and expires in $expires_minutes minutes. "
              "If you did not ask to sign in, you can ignore this message.\n\n-- $tenant\n"),
        html=("<p>Hello,</p><p>Use this button to sign in to $tenant:</p>\n"
              + _button("login", "Sign in")
              + "\n<p>The link works once and expires in $expires_minutes minutes. "
              "If you did not ask to sign in, you can ignore this message.</p>"),
        links=frozenset({"login"}), values=frozenset({"expires_minutes"}),
        defaults={"expires_minutes": "10"},
    ),
    "password_reset": _Template(
        subject="Reset your $tenant password",
        text=("Hello,\n\nSomeone asked to reset the password of your $tenant account. "
              "To choose a new password, open this link:\n\n$link_reset\n\nOr enter this code: $code\n\n"
              "The link and code expire in $expires_minutes minutes. If you did not ask for this, "
              "you can ignore this message: your password stays the same.\n\n-- $tenant\n"),
        html=("<p>Hello,</p><p>Someone asked to reset the password of your $tenant account.</p>\n"
              + _button("reset", "Choose a new password")
              + "\n<p>Or enter this code: <strong style=\"font-size: 20px; letter-spacing: 2px;\">$code</strong></p>\n"
              "<p>The link and code expire in $expires_minutes minutes. If you did not ask for this, "
              "you can ignore this message: your password stays the same.</p>"),
        links=frozenset({"reset"}), values=frozenset({"code", "expires_minutes"}),
        defaults={"expires_minutes": "10"},
    ),
    "invite": _Template(
        subject="You have been invited to $tenant",
        text=("Hello,\n\nAn account was created for you at $tenant. "
              "To set your password and sign in, open this link:\n\n$link_accept\n\n"
              "The link works once and expires in $expires_hours hours.\n\n-- $tenant\n"),
        html=("<p>Hello,</p><p>An account was created for you at $tenant. "
              "Set your password to start using it:</p>\n"
              + _button("accept", "Set your password")
              + "\n<p>The link works once and expires in $expires_hours hours.</p>"),
        links=frozenset({"accept"}), values=frozenset({"expires_hours"}),
        defaults={"expires_hours": "72"},
    ),
    "email_changed_notice": _Template(
        subject="The email address of your $tenant account was changed",
        text=("Hello,\n\nThe email address of your $tenant account was changed, and this address "
              "will no longer receive messages about it.\n\nIf you made this change, there is nothing "
              "to do. If you did not, contact the administrators of $tenant at once: someone else may "
              "have access to your account.\n\n-- $tenant\n"),
        html=("<p>Hello,</p><p>The email address of your $tenant account was changed, and this address "
              "will no longer receive messages about it.</p>\n<p>If you made this change, there is nothing "
              "to do. If you did not, <strong>contact the administrators of $tenant at once</strong>: "
              "someone else may have access to your account.</p>"),
    ),
    "signup_existing_account": _Template(
        # Looks like any other account mail: sign-up answers the same whether or not the
        # address is registered, and only the address owner learns the difference.
        subject="Your $tenant account",
        text=("Hello,\n\nSomeone tried to create a $tenant account with this email address, but "
              "it already has an account.\n\nIf it was you, sign in:\n\n$link_login\n\n"
              "or, if you forgot your password, reset it:\n\n$link_reset\n\n"
              "If it was not you, you can ignore this message: nothing was changed.\n\n-- $tenant\n"),
        html=("<p>Hello,</p><p>Someone tried to create a $tenant account with this email address, but "
              "it already has an account.</p>\n<p>If it was you, sign in:</p>\n"
              + _button("login", "Sign in")
              + "\n<p>If you forgot your password, reset it:</p>\n"
              + _button("reset", "Reset your password")
              + "\n<p>If it was not you, you can ignore this message: nothing was changed.</p>"),
        links=frozenset({"login", "reset"}),
    ),
}


def render(template: str, *, tenant_name: str, to: str, links: Mapping[str, str],
           values: Mapping[str, str]) -> OutgoingMail:
    """Renders `template` for `to`. Links and values must be exactly the template's own
    (optional values fall back to their defaults); a missing or unknown one is a ValueError,
    so a typo cannot silently drop a link from a mail."""
    spec = TEMPLATES.get(template)
    if spec is None:
        raise ValueError(f"unknown email template {template!r}")
    if set(links) != spec.links:
        raise ValueError(f"template {template!r} takes links {sorted(spec.links)}, got {sorted(links)}")
    unknown = set(values) - spec.values
    missing = spec.values - set(values) - set(spec.defaults)
    if unknown or missing:
        raise ValueError(f"template {template!r} takes values {sorted(spec.values)}, got {sorted(values)}")
    tenant = _clean_tenant(tenant_name)
    plain: dict[str, str] = {**spec.defaults, **{k: _clean(v) for k, v in values.items()}, "tenant": tenant}
    plain.update({f"link_{k}": _checked_link(k, v) for k, v in links.items()})
    escaped = {k: html.escape(v, quote=True) for k, v in plain.items()}
    subject = Template(spec.subject).substitute(plain)
    body = Template(spec.html).substitute(escaped)
    page = _HTML_PAGE.substitute(subject=html.escape(subject, quote=True), tenant=escaped["tenant"], body=body)
    return OutgoingMail(to=to, subject=subject, text=Template(spec.text).substitute(plain), html=page,
                        template=template, from_name=tenant)
