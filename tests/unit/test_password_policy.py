"""services.identity.password_policy: length in code points after NFKC, no truncation,
printable Unicode, common passwords, email/name, settings parsing."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument
from services.identity import password_policy
from services.identity.password_policy import PasswordPolicy, common_passwords, normalize_password

pytestmark = pytest.mark.unit

DEFAULT = PasswordPolicy()


def reason(policy: PasswordPolicy, password: str, **context: str) -> str | None:
    try:
        policy.check(password, **context)
    except InvalidArgument as error:
        assert error.details["field"] == "password"
        return error.reason
    return None


def test_defaults_and_settings() -> None:
    assert (DEFAULT.min_length, DEFAULT.max_length, DEFAULT.reject_common_passwords) == (8, 128, True)
    assert PasswordPolicy.from_settings(None) == DEFAULT
    assert PasswordPolicy.from_settings({}) == DEFAULT
    custom = PasswordPolicy.from_settings({"min_length": 12, "max_length": 256, "reject_common_passwords": False,
                                           "unknown": 1})
    assert (custom.min_length, custom.max_length, custom.reject_common_passwords) == (12, 256, False)
    # malformed values fall back to the defaults
    odd = PasswordPolicy.from_settings({"min_length": "12", "max_length": True, "reject_common_passwords": "no"})
    assert odd == DEFAULT


def test_floors_cannot_be_configured_away() -> None:
    weak = PasswordPolicy.from_settings({"min_length": 4, "max_length": 16})
    assert (weak.min_length, weak.max_length) == (8, 64)
    assert PasswordPolicy(min_length=100, max_length=64).max_length == 100  # never below min_length
    assert reason(weak, "Zq7!xw2") == "PASSWORD_TOO_SHORT"
    assert reason(weak, "Zq7!xw2#" * 8) is None  # 64 allowed


def test_too_short_with_details() -> None:
    with pytest.raises(InvalidArgument) as caught:
        DEFAULT.check("Zq7!xw2")
    assert caught.value.reason == "PASSWORD_TOO_SHORT"
    assert caught.value.details == {"field": "password", "min_length": "8"}
    assert reason(DEFAULT, "Zq7!xw2k") is None  # exactly 8
    assert reason(PasswordPolicy(min_length=12), "Zq7!xw2kPlm") == "PASSWORD_TOO_SHORT"


def test_too_long_and_never_truncated() -> None:
    assert reason(DEFAULT, "k" * 64 + "Zq7!" * 16) is None  # exactly 128
    with pytest.raises(InvalidArgument) as caught:
        DEFAULT.check("Zq7!" * 32 + "x")
    assert caught.value.reason == "PASSWORD_TOO_LONG"
    assert caught.value.details == {"field": "password", "max_length": "128"}
    # 100 characters whose first 72 equal another's (bcrypt would have cut both): both are
    # accepted whole, and the normalised form keeps every character.
    first = "a9Zq!" * 14 + "xy" + "A" * 28
    second = first[:72] + "B" * 28
    assert len(first) == len(second) == 100
    assert reason(DEFAULT, first) is None and reason(DEFAULT, second) is None
    assert normalize_password(first) != normalize_password(second)
    assert len(normalize_password(first)) == 100


def test_length_counts_code_points_after_nfkc() -> None:
    # 8 emoji: 8 code points (32 UTF-8 bytes) is long enough; 7 is not
    assert reason(DEFAULT, "😀🙈🚀🌍🎉🔑🧩🦄") is None
    assert reason(DEFAULT, "😀🙈🚀🌍🎉🔑🧩") == "PASSWORD_TOO_SHORT"
    # decomposed é (e + U+0301) counts once after NFKC
    decomposed = "cafe\u0301" + "e\u0301" * 2 + "x"  # 10 code points, 7 after NFKC
    assert len(decomposed) == 10 and reason(DEFAULT, decomposed) == "PASSWORD_TOO_SHORT"
    assert normalize_password("cafe\u0301") == "café"
    # a ligature expands under NFKC: "ﬃ" is three letters
    assert len(normalize_password("ﬃ")) == 3
    assert reason(DEFAULT, "ﬃﬃZ7q") is None  # 5 code points typed, 8 after NFKC
    # 128 multi-byte characters are allowed, 129 are not (bytes do not matter)
    assert reason(DEFAULT, "ж" * 60 + "ü" * 68) is None
    assert reason(DEFAULT, "ж" * 129) == "PASSWORD_TOO_LONG"


def test_any_printable_unicode_including_spaces() -> None:
    for ok in ["correct horse battery staple", "  leading and trailing  ", "пароль-очень-надёжный",
               "密码是一个秘密的东西", "emoji 👨‍👩‍👧 family", "tab-free\u00a0nbsp pw"]:
        assert reason(DEFAULT, ok) is None, ok


def test_control_characters_are_refused() -> None:
    for bad in ["new\nline-pass", "tab\tseparated", "nul\x00byte-pass", "del\x7fchar-pass", "c1\x85control",
                "surrogate\ud800-pass"]:
        assert reason(DEFAULT, bad) == "PASSWORD_INVALID_CHARACTERS", repr(bad)


def test_common_passwords_refused_case_insensitively() -> None:
    for common in ["password", "PASSWORD", "Password", "12345678", "iloveyou1", "qwertyuiop", "baseball",
                   "\uff30\uff21\uff33\uff33\uff37\uff2f\uff32\uff24", " password "]:
        assert reason(DEFAULT, common) == "PASSWORD_TOO_COMMON", common
    assert reason(PasswordPolicy(reject_common_passwords=False), "password") is None
    assert reason(DEFAULT, "correct horse battery staple") is None
    assert password_policy.is_common_password("TrustNo1")


def test_the_shipped_list() -> None:
    common = common_passwords()
    assert isinstance(common, frozenset)
    assert len(common) >= 10_000
    assert common_passwords() is common  # loaded once
    assert all(entry == entry.lower() and entry.strip() == entry and entry for entry in common)
    assert not any(entry.startswith("#") for entry in common)
    assert sum(len(entry) >= 8 for entry in common) >= 10_000  # the ones a policy can meet


def test_password_containing_the_email() -> None:
    context = {"email": "Alice.Smith@Example.com"}
    assert reason(DEFAULT, "alice.smith@example.com", **context) == "PASSWORD_CONTAINS_EMAIL"
    assert reason(DEFAULT, "my ALICE.SMITH@example.com pw", **context) == "PASSWORD_CONTAINS_EMAIL"
    assert reason(DEFAULT, "alice.smith-2024!", **context) == "PASSWORD_CONTAINS_EMAIL"
    assert reason(DEFAULT, "unrelated horse staple", **context) is None
    assert reason(DEFAULT, "bob-was-here-again", email="bob@example.com") is None  # short local parts not searched
    assert reason(DEFAULT, "anything at all here", email="") is None


def test_password_containing_the_name() -> None:
    assert reason(DEFAULT, "AliceSmith1990", name="Alice Smith") == "PASSWORD_CONTAINS_NAME"
    assert reason(DEFAULT, "alice smith 1990", name="Alice Smith") == "PASSWORD_CONTAINS_NAME"
    assert reason(DEFAULT, "alice wonderland 7", name="Alice Smith") is None
    assert reason(DEFAULT, "bob-was-here-again", name="Bob") is None
