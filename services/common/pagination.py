"""Opaque page tokens for List methods (AIP-158): the last key seen, base64url-encoded."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from services.common.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument("page_size must not be negative", reason="INVALID_PAGE_SIZE")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_page_token(after: Any) -> str:
    raw = json.dumps({"after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str) -> Any:
    """The key to continue after, or None for the first page."""
    if not token:
        return None
    if len(token) > 4096:
        raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN")
    try:
        padded = token + "=" * (-len(token) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN") from None
