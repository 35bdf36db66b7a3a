"""A call made while serving an RPC gives up when that RPC's caller does."""

from __future__ import annotations

import contextvars

import pytest

from services.common.context import call_timeout, set_current_deadline

pytestmark = pytest.mark.unit


def test_the_callers_deadline_bounds_every_onward_call() -> None:
    def run() -> tuple[float, float, float]:
        no_deadline = call_timeout(5.0)
        set_current_deadline(1.0)
        bounded = call_timeout(5.0)
        shorter_default = call_timeout(0.5)
        return no_deadline, bounded, shorter_default

    no_deadline, bounded, shorter_default = contextvars.copy_context().run(run)
    assert no_deadline == 5.0
    assert 0.9 < bounded <= 1.0
    assert shorter_default == 0.5


def test_a_passed_deadline_leaves_a_token_timeout_not_a_negative_one() -> None:
    def run() -> float:
        set_current_deadline(-3.0)
        return call_timeout(5.0)

    assert 0 < contextvars.copy_context().run(run) <= 0.001
