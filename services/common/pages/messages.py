"""The msgids of every hosted page, found in the page sources (the catalogue test checks that
every language translates each of them; `python -m services.common.pages.messages` lists
them for a translator)."""

from __future__ import annotations

import re
from pathlib import Path

from services.common.pages.problems import GENERIC, REASONS
from services.common.pages.scopes import BUILT_IN

ROOT = Path(__file__).resolve().parents[3]
PAGE_SOURCES = (
    "services/common/pages/kit.py",
    "services/common/pages/scopes.py",
    "services/identity/pages/servicer.py",
    "services/identity/federation/pages.py",
    "services/token/oauth/pages.py",
    "services/token/oauth/device.py",
    "services/token/oauth/logout.py",
    "services/token/oauth/authorize.py",
    "services/token/oauth/servicer.py",
)
# t("...") calls (also r.t, look.t, request.t), error_page(look, "...") reasons, and the
# module constants the pages pass to t().
_CALL = re.compile(r'''\bt\(\s*"((?:[^"\\]|\\.)+)"''')
_REASON = re.compile(r'''error_page\([^,]+,\s*"((?:[^"\\]|\\.)+)"''')
# words_with(t, "...") and paragraph_with(t, "..."): sentences whose values are isolated (<bdi>).
_WITH = re.compile(r'''_with\([^,]+,\s*"((?:[^"\\]|\\.)+)"''')
CONSTANTS = (
    "The email or password is wrong.",
    "That code is not valid or has expired. Check the code shown on your device.",
    "unsupported form submission",
    "malformed form submission",
    "unknown client_id",
    "the request body must be a form",
    "the request is not valid",
    "redirect_uri is required (OpenID Connect Core 3.1.2.1)",
    "redirect_uri is required: the client registered more than one",
    "the redirect_uri is not registered for this client",
)


def msgids() -> list[str]:
    # The identity service's mails speak the same catalogue (a mail follows the page that
    # caused it); imported here only to list their sentences.
    from services.identity.messaging.templates import msgids as mail_msgids

    found: set[str] = set(BUILT_IN.values()) | set(REASONS.values()) | set(CONSTANTS) | mail_msgids()
    found.add(GENERIC)
    for name in PAGE_SOURCES:
        text = (ROOT / name).read_text(encoding="utf-8")
        for pattern in (_CALL, _REASON, _WITH):
            found.update(m.encode().decode("unicode_escape") if "\\" in m else m for m in pattern.findall(text))
    found.discard("reason")
    return sorted(found)


if __name__ == "__main__":  # pragma: no cover
    print("\n".join(msgids()))
