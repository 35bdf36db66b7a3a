"""Assertions and names shared by the end-to-end tests."""

from __future__ import annotations

import secrets
from typing import Any

import httpx


def unique_id(prefix: str = "t") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def assert_envelope(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The standard error envelope, with the mapped HTTP status and nothing gRPC-ish."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details", "timestamp", "request_id"}, error
    if code is not None:
        assert error["code"] == code, error
    assert error["request_id"] == response.headers["x-request-id"]
    assert not any(h.startswith("grpc-") for h in response.headers), dict(response.headers)
    assert "Traceback" not in response.text
    return dict(error)
