"""HTML of the hosted pages: no JavaScript, one inline stylesheet allowed by a CSP nonce.

Every value that is not a literal of this module goes through `esc` (tenant names, emails,
messages, codes, paths)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from html import escape

from services.common.csrf import CSRF_FIELD

CONTENT_TYPE = "text/html; charset=utf-8"

_STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1f2328;margin:0}"
    "main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.12)}"
    "h1{font-size:1.1rem;color:#57606a;margin:0 0 .25rem}h2{font-size:1.4rem;margin:0 0 1.25rem}"
    "label{display:block;margin:.75rem 0 .25rem;font-weight:600}"
    "input{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #d0d7de;border-radius:6px;"
    "font-size:1rem}"
    "button{margin-top:1.25rem;width:100%;padding:.65rem;border:0;border-radius:6px;background:#0969da;"
    "color:#fff;font-size:1rem;cursor:pointer}"
    ".error{background:#ffebe9;border:1px solid #ff8182;padding:.6rem;border-radius:6px}"
    ".notice{background:#dafbe1;border:1px solid #4ac26b;padding:.6rem;border-radius:6px}"
    "nav{margin-top:1.25rem;font-size:.9rem}nav a{display:block;margin:.3rem 0}"
)


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def content_security_policy(nonce: str) -> str:
    return (f"default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"
    value: str = ""
    autocomplete: str = ""
    required: bool = True


@dataclass
class Page:
    """What one page shows; `render` turns it into the document."""

    tenant_name: str
    title: str
    message: str = ""
    error: bool = False
    paragraphs: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

    def render(self, nonce: str) -> str:
        parts = [f"<h1>{esc(self.tenant_name)}</h1>", f"<h2>{esc(self.title)}</h2>"]
        if self.message:
            kind = "error" if self.error else "notice"
            role = ' role="alert"' if self.error else ""
            parts.append(f'<p class="{kind}"{role}>{esc(self.message)}</p>')
        parts += [f"<p>{esc(p)}</p>" for p in self.paragraphs]
        parts += self.forms
        if self.links:
            parts.append("<nav>" + "".join(f'<a href="{esc(href)}">{esc(text)}</a>' for href, text in self.links)
                         + "</nav>")
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>{esc(self.title)} · {esc(self.tenant_name)}</title>"
            f'<style nonce="{esc(nonce)}">{_STYLE}</style></head>'
            f"<body><main>{''.join(parts)}</main></body></html>\n"
        )


def form(action: str, csrf_token: str, fields: list[Field], button: str,
         hidden: dict[str, str] | None = None) -> str:
    """A POST form to `action` (a same-origin path) with the CSRF field."""
    out = [f'<form method="post" action="{esc(action)}">',
           f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(csrf_token)}">']
    for name, value in (hidden or {}).items():
        if value:
            out.append(f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">')
    for f in fields:
        attributes = [f'id="{esc(f.name)}"', f'name="{esc(f.name)}"', f'type="{esc(f.kind)}"']
        if f.value:
            attributes.append(f'value="{esc(f.value)}"')
        if f.autocomplete:
            attributes.append(f'autocomplete="{esc(f.autocomplete)}"')
        if f.required:
            attributes.append("required")
        out.append(f'<label for="{esc(f.name)}">{esc(f.label)}</label><input {" ".join(attributes)}>')
    out.append(f'<button type="submit">{esc(button)}</button></form>')
    return "".join(out)
