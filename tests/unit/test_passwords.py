"""services.common.passwords: argon2id hashing (tiny parameters, for speed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.common.passwords import PasswordHashing

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def hashing() -> Iterator[PasswordHashing]:
    hasher = PasswordHashing(memory_kib=8, time_cost=1, workers=2)
    yield hasher
    hasher.close()


async def test_hash_then_verify(hashing: PasswordHashing) -> None:
    stored = await hashing.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert await hashing.verify(stored, "correct horse battery staple") is True


async def test_wrong_password(hashing: PasswordHashing) -> None:
    stored = await hashing.hash("correct horse battery staple")
    assert await hashing.verify(stored, "correct horse battery stapler") is False
    assert await hashing.verify(stored, "") is False


async def test_hashes_are_salted(hashing: PasswordHashing) -> None:
    assert await hashing.hash("same") != await hashing.hash("same")


async def test_unicode_password(hashing: PasswordHashing) -> None:
    stored = await hashing.hash("pässwörd-😀")
    assert await hashing.verify(stored, "pässwörd-😀") is True
    assert await hashing.verify(stored, "passwort-😀") is False


async def test_no_stored_hash_never_verifies(hashing: PasswordHashing) -> None:
    assert await hashing.verify(None, "anything") is False
    # not even the internal dummy password used to equalise timing
    assert await hashing.verify(None, "binoauth-dummy-password-for-timing") is False


async def test_empty_stored_hash_never_verifies(hashing: PasswordHashing) -> None:
    assert await hashing.verify("", "binoauth-dummy-password-for-timing") is False


async def test_corrupt_hash_is_false_not_an_error(hashing: PasswordHashing) -> None:
    assert await hashing.verify("not-a-hash", "pw") is False
    assert await hashing.verify("$argon2id$v=19$m=8,t=1,p=1$bad$bad", "pw") is False


async def test_needs_rehash_when_parameters_change(hashing: PasswordHashing) -> None:
    stored = await hashing.hash("pw-123456789")
    assert hashing.needs_rehash(stored) is False
    stronger = PasswordHashing(memory_kib=16, time_cost=2, workers=1)
    try:
        assert stronger.needs_rehash(stored) is True
        # the old hash still verifies with new parameters (so login can upgrade it)
        assert await stronger.verify(stored, "pw-123456789") is True
        assert stronger.needs_rehash(await stronger.hash("pw-123456789")) is False
    finally:
        stronger.close()
