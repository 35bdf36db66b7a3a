"""services.common.logging: the redaction processor and the JSON log line format."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from services.common.context import bind
from services.common.logging import REDACTED, configure_logging, get_logger, redact_secrets
from services.common.settings import Secret

pytestmark = pytest.mark.unit

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz"
API_KEY = "bino_Q2hhbmdlTWVQbGVhc2VUaGlzSXNBVGVzdEtleQ"
ADMIN_TOKEN = "binoa_VGhpc0lzQW5BZG1pblRva2VuRm9yVGVzdHM"
DSN = "postgresql://binoauth:pg-pw-123@db:5432/binoauth"


def redact(**event: Any) -> dict[str, Any]:
    return dict(redact_secrets(None, "info", dict(event)))


@pytest.mark.parametrize("key", [
    "password", "new_password", "Password", "client_secret", "secret", "authorization", "Authorization",
    "cookie", "set_cookie", "refresh_token", "access_token", "id_token", "token", "api_key", "apikey",
    "code", "code_verifier", "credential", "otp", "private_key", "dsn", "database_url", "redis_url",
])
def test_secret_named_keys_are_redacted(key: str) -> None:
    assert redact(**{key: "plain-value-123"})[key] == REDACTED


@pytest.mark.parametrize("key", ["user_id", "tenant_id", "client_id", "method", "duration_ms", "error_code"])
def test_innocent_keys_keep_innocent_values(key: str) -> None:
    assert redact(**{key: "value-42"})[key] == "value-42"


def test_secret_key_redacted_whatever_the_value_type() -> None:
    out = redact(password=None, token=12345, secret={"a": 1}, cookie=["a", "b"])
    assert out == {"password": REDACTED, "token": REDACTED, "secret": REDACTED, "cookie": REDACTED}


@pytest.mark.parametrize(("value", "leak"), [
    ("Bearer xyz-abc.def", "xyz-abc.def"),
    ("header was bearer   abcdef", "abcdef"),
    ("Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    (f"using key {API_KEY} for call", API_KEY),
    (f"admin {ADMIN_TOKEN}", ADMIN_TOKEN),
    (f"token={JWT}", JWT),
    (f"connecting to {DSN}", "pg-pw-123"),
    ("postgres://u:p4ssw0rd@host/db", "p4ssw0rd"),
    ("redis://:r3dis-pw@cache:6379/0", "r3dis-pw"),
    ("rediss://user:tls-pw@cache:6380", "tls-pw"),
])
def test_credential_shaped_values_are_scrubbed_under_innocent_keys(value: str, leak: str) -> None:
    out = redact(detail=value)
    assert leak not in out["detail"]
    assert REDACTED in out["detail"]


def test_scrubbing_keeps_the_surrounding_text() -> None:
    assert redact(detail=f"connecting to {DSN}")["detail"] == f"connecting to {REDACTED}"


def test_event_message_is_scrubbed() -> None:
    out = redact(event=f"login with Bearer {API_KEY} failed")
    assert API_KEY not in out["event"]
    assert out["event"].startswith("login with ")


def test_nested_dicts_and_lists_are_redacted() -> None:
    out = redact(request={
        "headers": {"Authorization": "Bearer abc", "x-request-id": "r1", "Cookie": "sid=1"},
        "body": [{"password": "pw1"}, {"nested": [{"client_secret": "cs"}, f"dsn {DSN}"]}],
        "pair": ("ok", JWT),
        "count": 3,
    })
    request = out["request"]
    assert request["headers"] == {"Authorization": REDACTED, "x-request-id": "r1", "Cookie": REDACTED}
    assert request["body"][0] == {"password": REDACTED}
    assert request["body"][1]["nested"][0] == {"client_secret": REDACTED}
    assert request["body"][1]["nested"][1] == f"dsn {REDACTED}"
    assert request["pair"] == ("ok", REDACTED)  # tuples stay tuples
    assert request["count"] == 3
    assert "pg-pw-123" not in json.dumps(out)


def test_plain_values_are_untouched() -> None:
    event = {"event": "tenant created", "tenant_id": "acme", "count": 2, "ok": True, "ratio": 0.5}
    assert redact(**event) == event


def test_x_api_key_header_name_counts_as_secret_key() -> None:
    # A foreign or mistyped key has no bino_ prefix, so only the key name can catch it.
    # The platform's own header is "x-api-key" (services/common/context.py).
    out = redact(headers={"x-api-key": "not-a-bino-key-but-secret"})
    assert out["headers"]["x-api-key"] == REDACTED


def test_api_key_id_is_an_identifier_not_a_secret() -> None:
    assert redact(api_key_id="ak_0123456789abcdef")["api_key_id"] == "ak_0123456789abcdef"


# --- the configured JSON pipeline ---------------------------------------------------------------


@pytest.fixture
def json_logging(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    """Restores structlog and the stdlib root logger afterwards. The test itself calls
    configure_logging(), because capsys swaps sys.stdout between set-up and the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    structlog.contextvars.clear_contextvars()
    try:
        yield capsys
    finally:
        structlog.contextvars.clear_contextvars()
        structlog.reset_defaults()
        root.handlers[:] = handlers
        root.setLevel(level)


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.strip()]
    return [json.loads(line) for line in rows]  # every line must be one JSON object


def test_json_lines_carry_service_level_timestamp_message_and_context(
    json_logging: pytest.CaptureFixture[str],
) -> None:
    configure_logging("tenant", level="INFO", json=True)
    log = get_logger("test")
    structlog.contextvars.bind_contextvars(request_id="req-123")
    bind(tenant_id="acme", user_id="")  # empty values are not bound
    log.info("tenant created", display_name="Acme Inc")
    log.warning("second line", attempt=2)
    records = lines(json_logging)
    assert len(records) == 2
    first, second = records
    assert first["service"] == "tenant"
    assert first["level"] == "info"
    assert first["message"] == "tenant created"
    assert "event" not in first
    assert first["timestamp"].endswith("Z")
    assert first["timestamp"][:4].isdigit() and "T" in first["timestamp"]
    assert first["request_id"] == "req-123"
    assert first["tenant_id"] == "acme"
    assert "user_id" not in first
    assert first["display_name"] == "Acme Inc"
    assert second["level"] == "warning"
    assert second["attempt"] == 2


def test_json_lines_never_contain_secrets(json_logging: pytest.CaptureFixture[str]) -> None:
    configure_logging("tenant", level="INFO", json=True)
    log = get_logger()
    structlog.contextvars.bind_contextvars(request_id="req-9", authorization=f"Bearer {API_KEY}")
    log.info(f"calling with Bearer {API_KEY}", password="hunter2-pw", url=Secret("hidden-secret-url"),
             headers={"cookie": "sid=cookie-value-1"}, note=f"db {DSN}", jwt_here=JWT)
    try:
        raise RuntimeError(f"could not connect to {DSN}")
    except RuntimeError:
        log.exception("database down")
    out = json_logging.readouterr().out
    for secret in (API_KEY, "hunter2-pw", "hidden-secret-url", "cookie-value-1", "pg-pw-123", JWT):
        assert secret not in out
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 2
    assert records[0]["password"] == REDACTED
    assert records[0]["authorization"] == REDACTED
    assert records[1]["level"] == "error"
    assert "RuntimeError" in records[1]["exception"]


def test_below_level_is_not_written(json_logging: pytest.CaptureFixture[str]) -> None:
    configure_logging("tenant", level="INFO", json=True)
    log = get_logger()
    log.debug("too chatty")
    log.info("kept")
    assert [r["message"] for r in lines(json_logging)] == ["kept"]


def test_console_renderer_also_redacts(json_logging: pytest.CaptureFixture[str]) -> None:
    configure_logging("identity", level="DEBUG", json=False)
    get_logger().debug("signing in", password="hunter2-pw", note=f"Bearer {API_KEY}")
    out = json_logging.readouterr().out
    assert "signing in" in out
    assert "hunter2-pw" not in out and API_KEY not in out


@pytest.mark.parametrize("value", [
    "Basic YWJjOmRlZg==", "BEARER abc.def", "bearer\tx", "Ba\u017fic YWJj", "B\u0131noa_abcdefghijk",
    "binoa_abcdefghijklmn", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "EYJa.b.c", "postgresql://u:p@h/db",
    "REDISS://:pw@host:6379", "python-httpx/0.28", "127.0.0.1", "basic", "a basic idea", "", "\u0130stanbul",
    "B\u0130NO_abcdefghijk", "\u212aey", "bearer\u00a0x", "Bear\u0130r x",
])
def test_the_fast_path_redacts_exactly_what_the_pattern_does(value: str) -> None:
    from services.common.logging import _SECRET_VALUE, _scrub

    assert _scrub(value) == _SECRET_VALUE.sub(REDACTED, value)
