"""services.identity.totp: RFC 6238/4226 vectors, drift window, replay, code format, Key URI,
recovery codes."""

from __future__ import annotations

import base64
import hashlib
import math
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from services.identity import totp

pytestmark = pytest.mark.unit

RFC_KEY = b"12345678901234567890"
RFC_SECRET = base64.b32encode(RFC_KEY).decode()  # GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ

# RFC 6238 appendix B, SHA-1: the 8-digit codes; the 6-digit code is value mod 10^6, i.e. the
# last six digits.
RFC6238_SHA1 = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]
# RFC 4226 appendix D, counters 0..9.
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_rfc4226_hotp_vectors() -> None:
    assert [totp.hotp(RFC_KEY, counter) for counter in range(10)] == RFC4226


@pytest.mark.parametrize(("seconds", "code8"), RFC6238_SHA1)
def test_rfc6238_sha1_vectors(seconds: int, code8: str) -> None:
    assert totp.hotp(RFC_KEY, seconds // 30, digits=8) == code8
    assert totp.code_at(RFC_SECRET, at(seconds)) == code8[-6:]
    assert totp.verify(RFC_SECRET, code8[-6:], at(seconds), None) == seconds // 30


def test_secret_is_160_bit_base32() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(base64.b32decode(secret)) == 20
    assert len({totp.new_secret() for _ in range(100)}) == 100


def test_secret_case_and_spaces_do_not_matter() -> None:
    spaced = " ".join(RFC_SECRET.lower()[i:i + 4] for i in range(0, 32, 4))
    assert totp.verify(spaced, "287082", at(59), None) == 1


def test_drift_of_one_step_is_accepted_two_refused() -> None:
    secret = totp.new_secret()
    now = at(1_700_000_015)
    step = totp.time_step(now)
    key = base64.b32decode(secret)
    for offset in (-1, 0, 1):
        assert totp.verify(secret, totp.hotp(key, step + offset), now, None) == step + offset
    for offset in (-3, -2, 2, 3):
        assert totp.verify(secret, totp.hotp(key, step + offset), now, None) is None


def test_replay_of_the_same_or_an_older_step_is_refused() -> None:
    secret = totp.new_secret()
    now = at(1_700_000_000)
    code = totp.code_at(secret, now)
    step = totp.verify(secret, code, now, None)
    assert step == totp.time_step(now)
    assert totp.verify(secret, code, now, step) is None  # same code again
    assert totp.verify(secret, code, now + timedelta(seconds=20), step) is None  # still in the window
    previous = totp.code_at(secret, now - timedelta(seconds=30))
    assert totp.verify(secret, previous, now, step) is None  # an older step
    following = totp.code_at(secret, now + timedelta(seconds=30))
    assert totp.verify(secret, following, now + timedelta(seconds=30), step) == step + 1


def test_code_format() -> None:
    secret = RFC_SECRET
    now = at(59)
    assert totp.verify(secret, "287 082", now, None) == 1
    assert totp.verify(secret, " 287082\n", now, None) == 1
    fullwidth, arabic_indic = "\uff12\uff18\uff17\uff10\uff18\uff12", "\u0662\u0668\u0667\u0660\u0668\u0662"
    for bad in ["", "28708", "2870820", "94287082", "28708a", "287-082", fullwidth, arabic_indic, "+28708", "28708.2"]:
        assert totp.verify(secret, bad, now, None) is None, bad


def test_the_first_step_has_no_previous_one() -> None:
    assert totp.verify(RFC_SECRET, "755224", at(10), None) == 0
    assert totp.verify(RFC_SECRET, "287082", at(10), None) == 1


def test_wrong_code_is_refused() -> None:
    code = totp.code_at(RFC_SECRET, at(59))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert totp.verify(RFC_SECRET, wrong, at(59), None) is None


def test_naive_datetimes_and_bad_secrets_are_errors() -> None:
    with pytest.raises(ValueError):
        totp.verify(RFC_SECRET, "287082", datetime(2020, 1, 1), None)
    with pytest.raises(ValueError):
        totp.verify("not base32!", "287082", at(59), None)
    # any time zone works
    assert totp.code_at(RFC_SECRET, at(59).astimezone(timezone(timedelta(hours=5)))) == "287082"


def test_otpauth_uri() -> None:
    uri = totp.otpauth_uri(RFC_SECRET, "alice+mfa@example.com", "Acme & Co: Dev")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert parts.path == "/Acme%20%26%20Co%3A%20Dev:alice%2Bmfa%40example.com"
    issuer, _, account = parts.path[1:].partition(":")
    assert unquote(issuer) == "Acme & Co: Dev" and unquote(account) == "alice+mfa@example.com"
    assert " " not in uri and "+" not in uri  # spaces as %20, a literal + encoded
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {"secret": [RFC_SECRET], "issuer": ["Acme & Co: Dev"], "algorithm": ["SHA1"],
                     "digits": ["6"], "period": ["30"]}


def test_otpauth_uri_unicode_and_bad_secret() -> None:
    uri = totp.otpauth_uri(totp.new_secret(), "zoë@example.com", "Société Générale")
    assert uri.isascii()
    assert "Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:zo%C3%AB%40example.com" in uri
    with pytest.raises(ValueError):
        totp.otpauth_uri("1", "a@b.c", "x")


def test_recovery_codes_format_and_entropy() -> None:
    codes = totp.new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(totp.RECOVERY_ALPHABET)
    assert not set("01ilou") & set(totp.RECOVERY_ALPHABET)  # no look-alikes
    assert len(set(totp.RECOVERY_ALPHABET)) == len(totp.RECOVERY_ALPHABET)
    assert totp.RECOVERY_LENGTH * math.log2(len(totp.RECOVERY_ALPHABET)) >= 50
    assert len(totp.new_recovery_codes(3)) == 3
    # all symbols do occur (uniform choice, not a subset)
    seen = set("".join(c.replace("-", "") for c in totp.new_recovery_codes(200)))
    assert seen == set(totp.RECOVERY_ALPHABET)


def test_recovery_code_hash_is_normalised_sha256() -> None:
    code = "7kq4-m2xr-9dfa"
    expected = hashlib.sha256(b"7kq4m2xr9dfa").digest()
    assert totp.recovery_code_hash(code) == expected
    en_dashes, fullwidth = "7kq4\u2013m2xr\u20139dfa", "\uff17\uff2b\uff31\uff14-m2xr-9dfa"
    for variant in ["7KQ4-M2XR-9DFA", "7kq4m2xr9dfa", " 7kq4 m2xr 9dfa ", en_dashes, fullwidth]:
        assert totp.recovery_code_hash(variant) == expected, variant
    assert totp.recovery_code_hash("7kq4-m2xr-9dfb") != expected
    assert len(expected) == 32
