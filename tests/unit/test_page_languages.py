"""Languages beyond the pages' chrome (issue 16): mails through the same catalogue in the
recipient's language, a right-to-left language shipped complete, numbers and dates written the
language's way, and no use-case refusal a page can meet left in English."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from services.common.errors import InvalidArgument, NotFound
from services.common.pages import i18n
from services.common.pages.branding import Branding
from services.common.pages.i18n import Translator, requested_language
from services.common.pages.kit import (
    Button,
    Field,
    Look,
    Page,
    account_line,
    application_header,
    form,
    link_row,
    scope_list,
)
from services.common.pages.messages import msgids
from services.common.pages.problems import GENERIC, NOT_ON_PAGES, REASONS, problem_text
from services.common.pages.scopes import BUILT_IN, describe
from services.identity.messaging.templates import TEMPLATES, mail_language, render, sms_text

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
OTHER_LANGUAGES = [lang for lang in i18n.languages() if lang != i18n.SOURCE_LANGUAGE]
BASE = "https://auth.example.com/tenant/acme"
LINKS = {"verify": f"{BASE}/verify-email?code=abc", "login": f"{BASE}/login", "reset": f"{BASE}/reset?code=abc",
         "accept": f"{BASE}/reset-password?code=abc"}
VALUES = {"code": "123456", "expires_minutes": "10", "expires_hours": "72"}


def _english(ids: list[str]) -> set[str]:
    """English sentences without placeholders: none of them may show in another language."""
    return {m for m in ids if not {n for _, n, _, _ in string.Formatter().parse(m) if n}}


def _mail(template: str, language: str) -> tuple[str, str, str]:
    spec = TEMPLATES[template]
    mail = render(template, tenant_name="Acme", to="u@example.com", links={k: LINKS[k] for k in spec.links},
                  values={k: VALUES[k] for k in spec.values}, language=language)
    return mail.subject, mail.text, mail.html


def test_right_to_left_language_ships_complete() -> None:
    assert "ar" in i18n.languages()
    assert Translator("ar").direction == "rtl"
    assert set(msgids()) <= set(i18n.catalogue("ar"))


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_no_mail_sentence_outside_the_catalogue(template: str, language: str) -> None:
    subject, text, html = _mail(template, language)
    english_subject, english_text, _ = _mail(template, "en")
    assert subject != english_subject and "Acme" in subject
    lines = {line.strip() for line in text.splitlines() if line.strip()}
    shown = lines | {s.strip() for s in re.sub(r"<[^>]+>", "\n", html).splitlines() if s.strip()}
    assert shown & _english(msgids()) == set(), (template, language)
    english_lines = {line.strip() for line in english_text.splitlines() if line.strip()}
    # Only links, the code and the signature are the same in both languages.
    assert lines & english_lines <= {*LINKS.values(), "-- Acme"}, lines & english_lines
    assert f'lang="{language}"' in html and f'dir="{Translator(language).direction}"' in html


def test_the_phone_code_text_message_in_the_recipients_language() -> None:
    assert sms_text("Acme", "123456") == "Acme: your verification code is 123456"
    assert sms_text("Acme", "123456", "de") == "Acme: Ihr Bestätigungscode ist 123456"
    assert sms_text("Acme\nEvil", "1\r\n2", "es") == "Acme Evil: su código de verificación es 1 2"


def test_every_mail_sentence_is_a_catalogue_msgid() -> None:
    from services.identity.messaging.templates import msgids as mail_msgids

    assert mail_msgids() <= set(msgids())
    assert len(mail_msgids()) >= 25


def test_mail_language_follows_the_flow_then_the_user_then_the_tenant() -> None:
    tenant = {"branding": {"default_language": "es"}}
    assert mail_language("de", "fr-FR", tenant) == "de"
    assert mail_language("", "de-AT", tenant) == "de"
    assert mail_language("", "", tenant) == "es"
    assert mail_language("", "", {}) == "en"
    assert mail_language("tlh", "", {"branding": {"default_language": 7}}) == "en"


def test_mail_html_escapes_translations_and_values_and_localises_numbers() -> None:
    mail = render("password_reset", tenant_name="<b>Acme</b>", to="u@example.com", links={"reset": LINKS["reset"]},
                  values={"code": "<i>1</i>", "expires_minutes": "1500"}, language="de")
    assert "<b>Acme" not in mail.html and "&lt;b&gt;Acme&lt;/b&gt;" in mail.html
    assert "<i>1" not in mail.html and "&lt;i&gt;1&lt;/i&gt;" in mail.html
    assert "in 1.500 Minuten" in mail.text  # German digit grouping
    assert mail.subject == "Setzen Sie Ihr <b>Acme</b>-Passwort zurück"
    arabic = render("magic_link", tenant_name="Acme", to="u@example.com", links={"login": LINKS["login"]},
                    values={}, language="ar")
    assert 'lang="ar" dir="rtl"' in arabic.html and arabic.subject == "تسجيل الدخول إلى Acme"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_page_string_outside_the_catalogue_in_any_language(language: str) -> None:
    """The consent page with an application's presentation, in each language."""
    t = Translator(language)
    look = Look(t, Branding("Acme", support_url="https://acme.example/help",
                            privacy_policy_url="https://acme.example/privacy", footer="Acme GmbH"), "")
    links = [("https://app.example/", t("Website")), ("https://app.example/privacy", t("Privacy policy")),
             ("https://app.example/terms", t("Terms of service"))]
    page = Page("Acme", t("Allow access?"), message=t(GENERIC), error=True, parts=[
        account_line(t, "ada@example.com", "/login"), application_header("App", "/logo?v=1"),
        scope_list(describe([*BUILT_IN, "orders:read"], t, {"orders:read": "Bestellungen sehen"})),
        link_row(links)],
        forms=[form("/x", ("csrf_token", "t"), [Field("code", t("Code"))],
                    [Button(t("Allow")), Button(t("Deny"), primary=False)])]).render(look)
    shown = {line.strip() for line in re.sub(r"<[^>]+>", "\n", page).splitlines() if line.strip()}
    # (A word the language writes as English does, "Code" in German, is no leftover.)
    assert shown & {m for m in _english(msgids()) if t(m) != m} == set()
    assert f'lang="{language}"' in page and f'dir="{t.direction}"' in page


def test_numbers_and_dates_in_the_page_language() -> None:
    created = date(2026, 12, 4)
    assert Translator("en")("Your account was created on {date}.", date=created) == \
        "Your account was created on December 4, 2026."
    assert Translator("de")("Your account was created on {date}.", date=created) == \
        "Ihr Konto wurde am 4. Dezember 2026 erstellt."
    assert "diciembre" in Translator("es")("Your account was created on {date}.", date=created)
    assert "ديسمبر" in Translator("ar")("Your account was created on {date}.", date=created)
    long = InvalidArgument("too short", reason="PASSWORD_TOO_SHORT", details={"min_length": "1000"})
    assert problem_text(Translator("de"), long) == "Das Passwort muss mindestens 1.000 Zeichen haben."
    assert problem_text(Translator("en"), long) == "The password must have at least 1,000 characters."


def test_requested_language_is_an_offered_code_or_nothing() -> None:
    assert requested_language("fr-CA de-AT") == "de"
    assert requested_language("ar") == "ar"
    assert requested_language('"><script>') == ""
    assert requested_language("tlh") == ""


# The use cases behind the hosted pages; every reason they raise must have words (or be
# listed in NOT_ON_PAGES with why). A new refusal without words fails here.
PAGE_USE_CASES = ("services/identity/auth.py", "services/identity/users.py", "services/identity/account.py",
                  "services/identity/password_policy.py", "services/identity/lockout.py",
                  "services/identity/sessions_client.py", "services/common/tenancy.py",
                  "services/common/directory.py", "services/common/errors.py")
_RAISED = re.compile(r'''reason="([A-Z][A-Z_]+)"|_refused\("([A-Z][A-Z_]+)"''')


def test_every_refusal_a_page_can_meet_has_words() -> None:
    raised: set[str] = set()
    for name in PAGE_USE_CASES:
        for match in _RAISED.finditer((ROOT / name).read_text(encoding="utf-8")):
            raised.add(match.group(1) or match.group(2))
    assert len(raised) > 20
    assert sorted(raised - set(REASONS) - NOT_ON_PAGES) == []
    assert set(REASONS) & NOT_ON_PAGES == set()


def test_a_refusal_without_words_is_not_shown_in_english() -> None:
    odd = NotFound("something new", reason="SOMETHING_NEW")
    assert problem_text(Translator("en"), odd) == "something new"
    for language in OTHER_LANGUAGES:
        assert problem_text(Translator(language), odd) == Translator(language)(GENERIC) != GENERIC
    gone = NotFound("no such tenant", reason="TENANT_NOT_FOUND")
    assert problem_text(Translator("de"), gone).startswith("Unter dieser Adresse gibt es keine Anmeldeseite")
