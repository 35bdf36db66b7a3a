"""One small stack (1 replica per service) watched by a real Prometheus and Alertmanager
(Debian packages; .ci/run installs them), scraping and evaluating every second with every
alert's `for:` cut to 2s so that a scripted fault fires within seconds."""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tools.observe import ALERTMANAGER, PROMETHEUS, Observer
from tools.stack import Stack, StackConfig


def require_binaries() -> None:
    for name in (PROMETHEUS, "promtool", ALERTMANAGER):
        if shutil.which(name) is None:
            pytest.fail(f"{name} is missing: apt-get install prometheus prometheus-alertmanager (.ci/run does)")


@pytest.fixture(scope="module")
def watched(server_dir: Callable[[str], Path]) -> Iterator[tuple[Stack, Observer]]:
    require_binaries()
    config = StackConfig(
        data_dir=server_dir("observed"), free_ports=True, durable=False, drain_seconds=0.5, replicas=1,
        bootstrap_api_key="bino_test_" + secrets.token_urlsafe(32),
        extra_env={"BINOAUTH_RATE_LIMIT_SCALE": "1000"},
    )
    with Stack(config) as stack, Observer(stack, stack.data_dir / "observe", interval="1s", hold="2s") as observer:
        yield stack, observer


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout}s (last: {last!r})")


@pytest.fixture(scope="module")
def gateway_client(watched: tuple[Stack, Observer]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=watched[0].gateway_url, timeout=30) as client:
        yield client
