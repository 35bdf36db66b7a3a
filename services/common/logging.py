"""structlog set-up: JSON lines, request context from contextvars, secrets redacted."""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from services.common.tracing import add_trace_ids

REDACTED = "[REDACTED]"

# Keys whose values are secrets wherever they appear in an event.
_SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|credential|api[-_]?key|verifier|otp|"
    r"private|\bcode\b|^code$|dsn|database_url|redis_url",
    re.IGNORECASE,
)
# Values that look like credentials even under an innocent key.
_SECRET_VALUE = re.compile(
    r"(bearer\s+\S+|basic\s+\S+|bino[a-z]?_[A-Za-z0-9_\-]{8,}|"
    r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*|"
    r"(postgres(ql)?|rediss?)://\S+)",
    re.IGNORECASE,
)


# Every match of _SECRET_VALUE contains one of these (case-folded): a value without any of
# them is returned as it is without running the regex (profiled: redaction was most of the
# cost of a log line, and every RPC writes one).
_SECRET_VALUE_MARKERS = ("bearer", "basic", "bino", "eyj", "postgres", "redis")


@functools.lru_cache(maxsize=1024)
def _is_secret_key(key: str) -> bool:
    # Identifiers such as api_key_id or token_id name a secret's record, not the secret.
    # Cached: a process logs a small, fixed set of keys.
    return bool(_SECRET_KEY.search(key)) and not key.lower().endswith("_id")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        # Only for ASCII text, where lower() is exactly the regex's IGNORECASE: Unicode case
        # matching has exceptions (the dotted capital I, the long s, the Kelvin sign) that no
        # simple folding reproduces, so anything else always goes through the regex.
        lowered = value.lower()
        if value.isascii() and not any(marker in lowered for marker in _SECRET_VALUE_MARKERS):
            return value
        return _SECRET_VALUE.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: REDACTED if _is_secret_key(str(k)) else _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub(v) for v in value)
    return value


def redact_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: blanks secret-named keys and credential-shaped values."""
    for key in list(event_dict):
        if key == "event":
            event_dict[key] = _scrub(event_dict[key])
        elif _is_secret_key(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    """Configures structlog (and the stdlib root logger, for libraries) once per process."""
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
        structlog.processors.EventRenamer("message"),
    ]
    structlog.configure(
        processors=[
            *shared,
            lambda _l, _m, ev: {"service": service, **ev},
            structlog.processors.format_exc_info,
            redact_secrets,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=True,
    )
    # Libraries (asyncio, grpc) log through the stdlib: route them to stderr at WARNING.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, force=True)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name) if name else structlog.get_logger()
