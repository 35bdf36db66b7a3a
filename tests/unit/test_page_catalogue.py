"""The hosted pages' message catalogues and language choice (services/common/pages/i18n.py):
every page string is a msgid, every language translates every msgid, and the language
follows ui_locales, then Accept-Language, then the tenant's default."""

from __future__ import annotations

import re
import string

import pytest

from services.common.errors import InvalidArgument
from services.common.pages import i18n
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator, accept_language, negotiate
from services.common.pages.kit import Button, Field, Look, Page, account_line, form, scope_list
from services.common.pages.messages import msgids
from services.common.pages.problems import GENERIC, problem_text
from services.common.pages.scopes import BUILT_IN, describe

pytestmark = pytest.mark.unit


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", [lang for lang in i18n.languages() if lang != i18n.SOURCE_LANGUAGE])
def test_every_language_translates_every_page_string(language: str) -> None:
    translated = i18n.catalogue(language)
    ids = msgids()
    assert len(ids) > 80
    missing = [m for m in ids if m not in translated]
    assert missing == [], f"{language}.po lacks {missing}"
    obsolete = [m for m in translated if m not in ids]
    assert obsolete == [], f"{language}.po has msgids no page uses: {obsolete}"
    for msgid in ids:
        assert _placeholders(translated[msgid]) == _placeholders(msgid), msgid


def test_languages_on_offer() -> None:
    assert {"en", "de"} <= set(i18n.languages())


def test_no_page_string_outside_the_catalogue() -> None:
    """A whole page rendered in German shows no English msgid (only names and values)."""
    t = Translator("de")
    look = Look(t, Branding("Acme", support_url="https://acme.example/help",
                            privacy_policy_url="https://acme.example/privacy", footer="Acme GmbH"), "")
    page = Page("Acme", t("Allow access?"), message=t("The code is wrong."), error=True,
                paragraphs=[t("{client} asks for access to your account. It will be able to:", client="App")],
                parts=[account_line(t, "ada@example.com", "/login"), scope_list(describe(list(BUILT_IN), t))],
                forms=[form("/x", ("csrf_token", "t"), [Field("code", t("Code"))],
                            [Button(t("Allow")), Button(t("Deny"), primary=False)])],
                links=[("/login", t("Sign in"))]).render(look)
    text = re.sub(r"<[^>]+>", "\n", page)
    english = {m for m in msgids() if not _placeholders(m) and m != t(m)}
    shown = {line.strip() for line in text.splitlines() if line.strip()}
    assert shown & english == set()
    assert 'lang="de"' in page and 'dir="ltr"' in page
    assert "Hilfe" in page and "Datenschutzerklärung" in page and "Nicht Sie?" in page


def test_language_negotiation_order() -> None:
    assert negotiate() == "en"
    assert negotiate(tenant_default="de") == "de"
    assert negotiate(accept="de-AT,de;q=0.9,en;q=0.5") == "de"
    assert negotiate(accept="fr-FR, en;q=0.8", tenant_default="de") == "en"
    assert negotiate(accept="fr-FR", tenant_default="de") == "de"
    assert negotiate(ui_locales="de en", accept="en") == "de"
    assert negotiate(ui_locales="fr-CA", accept="de;q=0.1,en;q=0") == "de"
    assert negotiate(ui_locales="<script>", accept="x" * 10000) == "en"
    assert accept_language("en;q=0.5, de, fr;q=0, *") == ["de", "en"]


def test_scopes_in_words() -> None:
    en, de = Translator("en"), Translator("de")
    assert describe(["openid", "email"], en) == [("openid", "Sign you in with your account"),
                                                 ("email", "See your email address")]
    assert describe(["email"], de) == [("email", "Ihre E-Mail-Adresse sehen")]
    assert describe(["read:orders", "x"], en, {"read:orders": "See your orders"}) == [
        ("read:orders", "See your orders"), ("x", "Use the permission “x”")]
    assert set(BUILT_IN) == {"openid", "profile", "email", "phone", "address", "offline_access"}


def test_rtl_direction_comes_from_cldr() -> None:
    assert Translator("ar").direction == "rtl" and Translator("de").direction == "ltr"


def test_use_case_refusals_in_the_page_language() -> None:
    too_short = InvalidArgument("the password must have at least 10 characters", reason="PASSWORD_TOO_SHORT",
                                details={"field": "password", "min_length": "10"})
    assert problem_text(Translator("de"), too_short) == "Das Passwort muss mindestens 10 Zeichen haben."
    assert problem_text(Translator("en"), too_short) == "The password must have at least 10 characters."
    odd = InvalidArgument("something new", reason="SOMETHING_NEW")
    # No English on a German page: a refusal without words gets a general sentence
    # (tests/unit/test_page_languages.py checks every reason the page use cases raise has words).
    assert problem_text(Translator("de"), odd) == Translator("de")(GENERIC)
