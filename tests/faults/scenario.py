"""What every fault scenario asserts about the answers its clients saw."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from tools.loadgen import Result


def wrong_answers(results: list[Result], allowed: Callable[[Result], bool] | None = None) -> list[str]:
    """Failures that are not an honest 503 with Retry-After (or whatever `allowed` accepts):
    a 500, a 429 from a limit that fell back to a default, a 503 without Retry-After, a
    connection the gateway dropped... Summarised by kind, with a few examples."""
    bad = [r for r in results if not r.ok and not (r.status == 503 and r.retry_after)
           and not (allowed and allowed(r))]
    kinds = Counter(f"{r.op} {r.status} {r.error}" + (" (no Retry-After)" if r.status == 503 else "") for r in bad)
    return [f"{n} x {kind}" for kind, n in kinds.most_common(10)]


def watch_recovery(results: Callable[[], list[Result]], since: float, limit: float, quiet: float = 2.0) -> float:
    """Waits (at most `limit` s after `since`) until the load has answered only successes for
    `quiet` s; returns when the last failure was answered, relative to `since` (0: none)."""
    while True:
        now = time.monotonic()
        failures = [r.ended for r in results() if not r.ok and r.ended >= since]
        last = max(failures, default=since)
        recent = [r for r in results() if r.ended > now - quiet]
        if (now - last >= quiet and recent) or now - since >= limit:
            return last - since
        time.sleep(0.2)
