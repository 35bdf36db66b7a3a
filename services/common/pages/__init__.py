"""The hosted-pages kit every service renders its HTML pages with (docs: README "Hosted pages").

One layout (kit.py), one Tailwind stylesheet built at build time (web/pages.css ->
build/web/pages.css, served by assets.py through the identity service), the tenant's branding
(branding.py, served as a same-origin /branding.css), scope descriptions for consent
(scopes.py) and one message catalogue per language (i18n.py, gettext .po files in locales/)."""
