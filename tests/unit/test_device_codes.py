"""RFC 8628 user codes and the polling state machine (a controllable clock, no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.token.oauth.device_codes import (
    INTERVAL,
    SLOW_DOWN_STEP,
    USER_CODE_ALPHABET,
    DeviceGrant,
    decide_poll,
    format_user_code,
    new_user_code,
    normalise_user_code,
)

pytestmark = pytest.mark.unit
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_user_codes_use_the_unambiguous_alphabet() -> None:
    codes = {new_user_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 8 and set(code) <= set(USER_CODE_ALPHABET)
        assert not set(code) & set("AEIOUY01")
        shown = format_user_code(code)
        assert len(shown) == 9 and shown[4] == "-" and normalise_user_code(shown) == code


@pytest.mark.parametrize("typed", ["BCDF-GHJK", "bcdf-ghjk", "bcdfghjk", " BCDF GHJK ", "bc-df-gh-jk"])
def test_normalisation_ignores_case_dashes_and_spaces(typed: str) -> None:
    assert normalise_user_code(typed) == "BCDFGHJK"


@pytest.mark.parametrize("typed", ["", "BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ0", "BCDF_GHJK", "\uff22" * 8,
                                   "B" * 40])
def test_normalisation_refuses_what_cannot_be_a_code(typed: str) -> None:
    assert normalise_user_code(typed) == ""


def pending(**fields: object) -> DeviceGrant:
    base = DeviceGrant("app_1", "openid", "pending", INTERVAL, None, T0 + timedelta(seconds=600))
    return replace(base, **fields)  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def test_polling_state_machine_pending_slow_down_and_interval() -> None:
    clock = Clock()
    grant = pending()
    first = decide_poll(grant, "app_1", clock.now)
    assert (first.outcome, first.interval) == ("authorization_pending", INTERVAL)
    grant = replace(grant, last_poll_time=clock.now, interval=first.interval)
    fast = decide_poll(grant, "app_1", clock.advance(1))
    assert (fast.outcome, fast.interval) == ("slow_down", INTERVAL + SLOW_DOWN_STEP)
    grant = replace(grant, last_poll_time=clock.now, interval=fast.interval)
    # The raised interval applies from now on: 5 s is now too fast, 10 s is fine.
    assert decide_poll(grant, "app_1", clock.now + timedelta(seconds=INTERVAL)).outcome == "slow_down"
    later = decide_poll(grant, "app_1", clock.advance(INTERVAL + SLOW_DOWN_STEP))
    assert (later.outcome, later.interval, later.status) == ("authorization_pending", 10, "pending")


def test_approval_is_issued_once_and_denial_and_expiry() -> None:
    clock = Clock()
    approved = pending(status="approved", last_poll_time=clock.now, user_id="u1", auth_time=T0)
    issue = decide_poll(approved, "app_1", clock.advance(1))  # approval is not held back by slow_down
    assert (issue.outcome, issue.status) == ("issue", "issued")
    assert decide_poll(replace(approved, status=issue.status), "app_1", clock.advance(10)).outcome == "invalid_grant"
    assert decide_poll(pending(status="denied"), "app_1", T0).outcome == "access_denied"
    assert decide_poll(pending(), "app_1", T0 + timedelta(seconds=600)).outcome == "expired_token"
    assert decide_poll(pending(status="approved"), "app_1", T0 + timedelta(seconds=601)).outcome == "expired_token"


def test_unknown_code_or_another_client_is_invalid_grant() -> None:
    assert decide_poll(None, "app_1", T0).outcome == "invalid_grant"
    assert decide_poll(pending(status="approved"), "app_2", T0).outcome == "invalid_grant"
