"""services.common.pagination: opaque page tokens and page size bounds."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from services.common.errors import InvalidArgument
from services.common.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    decode_page_token,
    encode_page_token,
    page_size,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("after", ["acme", "ak_0123abcd", "", "ünïcödé", "a" * 500, 42, ["a", 1], {"id": "x"}])
def test_round_trip(after: Any) -> None:
    token = encode_page_token(after)
    assert decode_page_token(token) == after


def test_tokens_are_url_safe_and_unpadded() -> None:
    for after in ("acme", "a>b?c", "\xff\xfe" * 10):
        token = encode_page_token(after)
        assert "=" not in token and "+" not in token and "/" not in token


def test_empty_token_is_first_page() -> None:
    assert decode_page_token("") is None


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


GARBAGE = {
    "not base64": "!!!",
    "base64 of non-json": b64(b"hello world"),
    "json without after": b64(b'{"before": "x"}'),
    "json list": b64(b'["after"]'),
    "json string": b64(b'"after"'),
    "json number": b64(b"5"),
    "json null": b64(b"null"),
    "invalid utf-8": b64(b"\xff\xfe\xfd"),
    "truncated": encode_page_token("acme")[:-3],
    "one char": "a",
    "non-ascii": "\u00e9\u00e9\u00e9\u00e9",
}


@pytest.mark.parametrize("token", list(GARBAGE.values()), ids=list(GARBAGE))
def test_garbage_tokens_are_invalid_argument(token: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        decode_page_token(token)
    assert caught.value.reason == "INVALID_PAGE_TOKEN"


def test_deeply_nested_token_is_invalid_argument() -> None:
    token = b64(b"[" * 100_000)
    with pytest.raises(InvalidArgument):
        decode_page_token(token)


def test_token_is_opaque_json() -> None:
    token = encode_page_token("acme")
    assert json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == {"after": "acme"}


@pytest.mark.parametrize(("requested", "expected"), [
    (0, DEFAULT_PAGE_SIZE), (1, 1), (20, 20), (99, 99), (MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    (MAX_PAGE_SIZE + 1, MAX_PAGE_SIZE), (10**9, MAX_PAGE_SIZE),
])
def test_page_size_bounds(requested: int, expected: int) -> None:
    assert page_size(requested) == expected


def test_defaults() -> None:
    assert DEFAULT_PAGE_SIZE == 20
    assert MAX_PAGE_SIZE == 100


@pytest.mark.parametrize("requested", [-1, -100])
def test_negative_page_size_is_invalid(requested: int) -> None:
    with pytest.raises(InvalidArgument) as caught:
        page_size(requested)
    assert caught.value.reason == "INVALID_PAGE_SIZE"
