"""One layout for every hosted page: the card, its header, messages, forms and footer.

No script and no inline style: the page links the built stylesheet (/assets/pages.css) and the
tenant's colours (/branding.css), both same-origin, so the CSP is `style-src 'self'`. Every
value that is not a literal of this module goes through `esc`. The Tailwind classes live only
in this module (web/pages.css scans it). Markup the e2e tests parse keeps its shape:
`<form method="post" action="...">` and `<input type="hidden" name="..." value="...">`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from services.common.pages.assets import BRANDING_PATH, stylesheet_href
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator

CONTENT_TYPE = "text/html; charset=utf-8"

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
)

_INPUT = ("block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 "
          "shadow-xs focus:border-brand focus:outline-2 focus:outline-offset-1 focus:outline-brand "
          "dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100")
_PRIMARY = ("w-full rounded-md bg-brand px-4 py-2.5 text-base font-semibold text-brand-fg shadow-xs "
            "hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand "
            "cursor-pointer")
_SECONDARY = ("w-full rounded-md border border-slate-300 bg-white px-4 py-2.5 text-base font-semibold "
              "text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 "
              "focus-visible:outline-brand dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 "
              "dark:hover:bg-slate-700 cursor-pointer")
_LINK = ("font-medium text-brand underline underline-offset-2 hover:no-underline dark:text-sky-300")


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def content_security_policy(form_target: str = "", *more_targets: str) -> str:
    """The pages' CSP. `form_target` (and `more_targets`): URIs the forms' answers may redirect
    to (browsers apply form-action to the redirects after a submission too); validated ones only."""
    sources = "".join(dict.fromkeys(_source(uri) for uri in (form_target, *more_targets)))
    return ("default-src 'none'; style-src 'self'; img-src 'self'; "
            f"form-action 'self'{sources}; frame-ancestors 'none'; base-uri 'none'")


def _source(uri: str) -> str:
    parts = urlsplit(uri)
    source = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:" if parts.scheme else ""
    if not source or any(c in source for c in " ;,'\"\r\n"):
        return ""
    return " " + source


def page_headers(form_target: str = "", *more_targets: str) -> tuple[tuple[str, str], ...]:
    return (("content-security-policy", content_security_policy(form_target, *more_targets)), *SECURITY_HEADERS)


@dataclass(frozen=True)
class Look:
    """What is the same on every page of one request: language, tenant branding, and the
    tenant's path prefix ("/tenant/<id>" or "" on a tenant's own host) for /branding.css."""

    t: Translator
    branding: Branding
    prefix: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"
    value: str = ""
    autocomplete: str = ""
    required: bool = True
    error: str = ""  # shown under the field, tied to it by aria-describedby
    extra: str = ""  # trusted attributes (literals of the caller)


@dataclass(frozen=True)
class Button:
    text: str
    name: str = ""
    value: str = ""
    primary: bool = True


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
    parts: list[str] = field(default_factory=list)  # trusted markup before the forms

    def render(self, look: Look) -> str:
        t = look.t
        logo = look.branding.logo_href(look.prefix)
        # alt="": the tenant's name follows as the heading; the image adds no words.
        image = f'<img class="mb-4 h-12 w-auto max-w-full" src="{esc(logo)}" alt="">' if logo else ""
        body = [f'<header class="mb-6">{image}<h1 class="text-base font-semibold text-slate-600 '
                f'dark:text-slate-300">{esc(self.tenant_name)}</h1>'
                f'<h2 class="mt-1 text-2xl font-bold text-slate-900 dark:text-white">{esc(self.title)}</h2></header>']
        if self.message:
            if self.error:
                body.append('<p class="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 '
                            'dark:border-red-800 dark:bg-red-950 dark:text-red-200" role="alert">'
                            f'{esc(self.message)}</p>')
            else:
                body.append('<p class="mb-4 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900 '
                            'dark:border-green-800 dark:bg-green-950 dark:text-green-100" role="status">'
                            f'{esc(self.message)}</p>')
        body += [paragraph(p) for p in self.paragraphs]
        body += self.parts
        body += self.forms
        if self.links:
            body.append('<nav class="mt-6 space-y-2 text-sm" aria-label="' + esc(t("More options")) + '">'
                        + "".join(f'<a class="block {_LINK}" href="{esc(href)}">{esc(text)}</a>'
                                  for href, text in self.links) + "</nav>")
        return (
            f'<!DOCTYPE html>\n<html lang="{esc(t.language)}" dir="{t.direction}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light dark">'
            f"<title>{esc(self.title)} · {esc(self.tenant_name)}</title>"
            f'<link rel="stylesheet" href="{esc(stylesheet_href())}">'
            f'<link rel="stylesheet" href="{esc(look.prefix + BRANDING_PATH)}"></head>'
            '<body class="min-h-screen bg-slate-100 font-sans text-slate-900 antialiased dark:bg-slate-950 '
            'dark:text-slate-100">'
            '<main class="mx-auto w-full max-w-md px-4 py-8 sm:py-16">'
            '<div class="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8 dark:bg-slate-900 '
            f'dark:ring-slate-700">{"".join(body)}</div>{_footer(look)}</main></body></html>\n'
        )


def _footer(look: Look) -> str:
    t, brand = look.t, look.branding
    links = []
    if brand.support_url:
        links.append(f'<a class="{_LINK}" href="{esc(brand.support_url)}">{esc(t("Help"))}</a>')
    if brand.privacy_policy_url:
        links.append(f'<a class="{_LINK}" href="{esc(brand.privacy_policy_url)}">{esc(t("Privacy policy"))}</a>')
    line = f'<p>{esc(brand.footer)}</p>' if brand.footer else ""
    if not links and not line:
        return ""
    return ('<footer class="mt-6 space-y-2 text-center text-sm text-slate-600 dark:text-slate-300">'
            + line + (f'<p class="flex justify-center gap-4">{"".join(links)}</p>' if links else "") + "</footer>")


def _field(f: Field) -> str:
    # id, name, value first: tests/e2e read `name="user_code" value="..."`.
    attributes = [f'id="{esc(f.name)}"', f'name="{esc(f.name)}"']
    if f.value:
        attributes.append(f'value="{esc(f.value)}"')
    attributes += [f'type="{esc(f.kind)}"', f'class="{_INPUT}"']
    if f.autocomplete:
        attributes.append(f'autocomplete="{esc(f.autocomplete)}"')
    if f.required:
        attributes.append("required")
    if f.error:
        attributes += ['aria-invalid="true"', f'aria-describedby="{esc(f.name)}-error"']
    if f.extra:
        attributes.append(f.extra)
    error = (f'<p id="{esc(f.name)}-error" class="mt-1 text-sm text-red-700 dark:text-red-300">{esc(f.error)}</p>'
             if f.error else "")
    return (f'<div><label class="mb-1 block text-sm font-semibold" for="{esc(f.name)}">{esc(f.label)}</label>'
            f'<input {" ".join(attributes)}>{error}</div>')


def _button(b: Button) -> str:
    named = f' name="{esc(b.name)}" value="{esc(b.value)}"' if b.name else ""
    return f'<button type="submit"{named} class="{_PRIMARY if b.primary else _SECONDARY}">{esc(b.text)}</button>'


def form(action: str, csrf: tuple[str, str], fields: Sequence[Field], buttons: Sequence[Button] | str,
         hidden: dict[str, str] | None = None) -> str:
    """A POST form to `action` (a same-origin path) with the CSRF field (`csrf` = (field
    name, token)); empty hidden values are left out."""
    if isinstance(buttons, str):
        buttons = [Button(buttons)]
    out = [f'<form method="post" action="{esc(action)}">',
           f'<input type="hidden" name="{esc(csrf[0])}" value="{esc(csrf[1])}">']
    for name, value in (hidden or {}).items():
        if value:
            out.append(f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">')
    out.append('<div class="space-y-4">' + "".join(_field(f) for f in fields))
    layout = "grid gap-3 pt-2 sm:grid-cols-2" if len(buttons) > 1 else "pt-2"
    out.append(f'<div class="{layout}">' + "".join(_button(b) for b in buttons) + "</div></div></form>")
    return "".join(out)


@dataclass(frozen=True)
class ProviderLink:
    """One "Continue with …" button: its link, its words, and at most one icon: `mark` a
    brand mark drawn inline ((viewBox, trusted SVG shapes), literals of the caller) or
    `icon_href` a same-origin image (an uploaded icon)."""

    href: str
    text: str
    mark: tuple[str, str] | None = None
    icon_href: str = ""


def _provider_icon(link: ProviderLink) -> str:
    # Decorative (aria-hidden, alt=""): the button's text names the provider. Marks are not
    # mirrored in right-to-left pages (logos keep their shape); the flex row puts them at the
    # start of the line in either direction.
    if link.mark is not None:
        view_box, shapes = link.mark
        return (f'<svg class="h-5 w-5 shrink-0" viewBox="{esc(view_box)}" aria-hidden="true" focusable="false" '
                f'xmlns="http://www.w3.org/2000/svg">{shapes}</svg>')
    if link.icon_href:
        # On a white tile: an uploaded icon drawn for light backgrounds stays visible in dark mode.
        return (f'<img class="h-5 w-5 shrink-0 rounded-sm bg-white object-contain p-px" src="{esc(link.icon_href)}" '
                'alt="" width="20" height="20">')
    return ""


def provider_buttons(items: Sequence[ProviderLink], separator: str) -> str:
    """"Continue with …" links to external identity providers, styled as buttons with the
    provider's icon before the words, then a separator line ("or") before the page's own form."""
    links = "".join(f'<a class="flex items-center justify-center gap-3 {_SECONDARY}" href="{esc(link.href)}">'
                    f'{_provider_icon(link)}{esc(link.text)}</a>' for link in items)
    return (f'<div class="mb-4 space-y-3">{links}</div>'
            f'<p class="mb-4 text-center text-sm text-slate-600 dark:text-slate-300">{esc(separator)}</p>')


def scope_list(items: Sequence[tuple[str, str]]) -> str:
    """The consent page's list of what the application may do."""
    rows = "".join(f'<li class="flex gap-3 py-2"><span aria-hidden="true" class="mt-1.5 h-2 w-2 shrink-0 '
                   f'rounded-full bg-brand"></span><span>{esc(text)}</span></li>' for _, text in items)
    return f'<ul class="mb-4 divide-y divide-slate-200 dark:divide-slate-700">{rows}</ul>'


def account_line(t: Translator, email: str, switch_href: str) -> str:
    """"Signed in as …" with a "Not you?" link that signs in with another account."""
    return ('<p class="mb-4 rounded-md bg-slate-50 p-3 text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-200">'
            + words_with(t, "Signed in as {email}.", email=email)
            + f' <a class="{_LINK}" href="{esc(switch_href)}">{esc(t("Not you?"))}</a></p>')


def strong_paragraph(text: str, emphasised: str) -> str:
    """A paragraph whose `{value}` placeholder is shown emphasised (codes, names)."""
    before, _, after = text.partition("{value}")
    return (f'<p class="mb-4 text-slate-700 dark:text-slate-300">{esc(before)}'
            f'<strong class="font-mono text-slate-900 dark:text-white">{esc(emphasised)}</strong>{esc(after)}</p>')


def paragraph(text: str) -> str:
    return f'<p class="mb-4 text-slate-700 dark:text-slate-300">{esc(text)}</p>'


def application_header(name: str, logo_href: str) -> str:
    """The application asking for access (consent): its logo, if it has one, and its name."""
    # alt="": the application's name follows; the image adds no words.
    image = (f'<img class="h-10 w-10 shrink-0 rounded-md object-contain" src="{esc(logo_href)}" alt="">'
             if logo_href else "")
    return (f'<div class="mb-4 flex items-center gap-3">{image}'
            f'<p class="text-lg font-semibold text-slate-900 dark:text-white">{esc(name)}</p></div>')


def link_row(links: Sequence[tuple[str, str]]) -> str:
    """A line of small links (an application's homepage, privacy policy, terms)."""
    if not links:
        return ""
    items = "".join(f'<li><a class="{_LINK}" href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
    return f'<ul class="mb-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">{items}</ul>'


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def words_with(t: Translator, msgid: str, **values: str) -> str:
    """t(msgid) as markup, each value isolated in <bdi>: an email address or a name keeps its
    own direction inside a right-to-left sentence (and the other way round)."""
    text, out, last = t(msgid), [], 0
    for match in _PLACEHOLDER.finditer(text):
        out += [esc(text[last:match.start()]), f"<bdi>{esc(values[match.group(1)])}</bdi>"]
        last = match.end()
    return "".join(out) + esc(text[last:])


def paragraph_with(t: Translator, msgid: str, **values: str) -> str:
    """A paragraph of words_with."""
    return f'<p class="mb-4 text-slate-700 dark:text-slate-300">{words_with(t, msgid, **values)}</p>'
