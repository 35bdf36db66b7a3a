"""services.common.redis: key building must be injective, so tenants can never share a key."""

from __future__ import annotations

import itertools
import random

import pytest

from services.common.redis import redis_key, tenant_key

pytestmark = pytest.mark.unit

SEPARATORS = [":", "%", "%3A", "%25", "/", " ", "*", "{", "}", "\n", "_", "-", ".", "~", "é", ""]


def test_key_layout() -> None:
    assert redis_key("session", "abc") == "binoauth:session:abc"
    assert tenant_key("failures", "acme", "user@example.com") == "binoauth:failures:acme:user%40example.com"


@pytest.mark.parametrize(("first", "second"), [
    (("a:b", "c"), ("a", "b:c")),
    (("a%3Ab", "c"), ("a:b", "c")),
    (("a%", "b"), ("a", "%b")),
    (("a", "b%3Ac"), ("a", "b:c")),
    (("a", ""), ("a:",)),
    (("a", "", ""), ("a", ":")),
    (("x", "", "a"), ("x", ":a")),
])
def test_tenant_keys_do_not_collide(first: tuple[str, ...], second: tuple[str, ...]) -> None:
    assert tenant_key("k", *first) != tenant_key("k", *second)


def test_the_documented_example() -> None:
    assert tenant_key("login", "a:b", "c") != tenant_key("login", "a", "b:c")


def test_colon_and_percent_are_encoded() -> None:
    key = tenant_key("k", "a:b%c", "d")
    assert key.count(":") == 3  # prefix, kind, tenant, part: only the separators
    assert "%3A" in key and "%25" in key


def _random_part(rng: random.Random) -> str:
    alphabet = "ab:%3A5/ _-.~é\n*"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))


def test_injective_over_random_tuples() -> None:
    """Property check (hypothesis is not installed): a fixed-seed generator of tuples made of
    separator-heavy characters; no two distinct tuples may share a key."""
    rng = random.Random(20240229)
    seen: dict[str, tuple[str, ...]] = {}
    for _ in range(10_000):
        parts = tuple(_random_part(rng) for _ in range(rng.randint(1, 4)))
        key = redis_key("k", *parts)
        assert seen.setdefault(key, parts) == parts, f"{parts!r} and {seen[key]!r} share {key!r}"
    assert len(seen) > 2_500


def test_injective_over_all_short_combinations() -> None:
    seen: dict[str, tuple[str, ...]] = {}
    for size in (1, 2, 3):
        for parts in itertools.product(SEPARATORS[:8], repeat=size):
            key = redis_key("k", *parts)
            assert seen.setdefault(key, parts) == parts


def test_kind_is_not_confusable_with_parts() -> None:
    assert redis_key("a", "b") != redis_key("a-b")
    assert redis_key("a_b", "c") != redis_key("a", "b", "c")


@pytest.mark.parametrize("kind", ["", "a:b", "a b", "a%b", "a/b", "a*"])
def test_bad_kinds_are_refused(kind: str) -> None:
    with pytest.raises(ValueError, match="kind"):
        redis_key(kind, "x")


def test_tenant_key_requires_a_tenant() -> None:
    with pytest.raises(ValueError, match="tenant_id"):
        tenant_key("k", "", "user")


def test_tenant_is_always_the_first_part() -> None:
    assert tenant_key("k", "acme", "x").startswith("binoauth:k:acme:")
