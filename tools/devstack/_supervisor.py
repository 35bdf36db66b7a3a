"""Keeps a local stack's processes running: whatever dies on its own is started again.

One loop watches every child (datastores first, since the services depend on them). A
child that dies is restarted at once; one that dies again soon after its restart waits
longer each time (0.5 s, 1 s, 2 s ... 30 s), so a child that cannot start does not spin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class Child(Protocol):
    """One supervised process. down() and revive() must be safe against the owner
    stopping the child on purpose at the same time (a deliberately stopped child is not
    down)."""

    @property
    def name(self) -> str: ...

    @property
    def log_file(self) -> Path: ...

    def down(self) -> str | None:
        """Why the child is not running although nobody stopped it ('killed by SIGKILL'),
        or None."""

    def revive(self) -> str | None:
        """Start it again if it is still down; what was started ('pid 42 on ...'), or None
        when there was nothing to do. Raises when it does not come up."""


@dataclass
class _Record:
    failures: int = 0  # restarts in a row that did not stay up for `stable_after`
    retry_at: float | None = None  # when the next attempt is due, while down
    up_since: float = 0.0


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        report: Callable[[str], None],
        *,
        interval: float = 0.5,
        first_delay: float = 0.5,
        max_delay: float = 30.0,
        stable_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._report = report
        self._interval = interval
        self._first_delay = first_delay
        self._max_delay = max_delay
        self._stable_after = stable_after
        self._clock = clock
        now = clock()
        self._watched = [(child, _Record(up_since=now)) for child in children]
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="stack-supervisor", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Returns once no restart is under way any more (one may take a startup timeout)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            self.check()

    def check(self) -> None:
        """One pass over every child, in order."""
        for child, record in self._watched:
            if self._stopping.is_set():
                return
            try:
                self._check(child, record)
            except Exception as error:  # noqa: BLE001 - the loop must outlive any one child
                self._report(f"supervising {child.name} failed: {type(error).__name__}: {error}")

    def _check(self, child: Child, record: _Record) -> None:
        now = self._clock()
        reason = child.down()
        if reason is None:
            if record.failures and now - record.up_since >= self._stable_after:
                record.failures = 0
            record.retry_at = None
            return
        if record.retry_at is None:  # newly seen down
            delay = self._delay(record.failures)
            record.retry_at = now + delay
            when = f" in {delay:g}s (down again within {self._stable_after:g}s of its restart)" if delay else ""
            self._report(f"{child.name} {reason}; restarting{when}; see {child.log_file}")
        if now < record.retry_at:
            return
        record.failures += 1
        try:
            started = child.revive()
        except Exception as error:  # noqa: BLE001 - reported; tried again after a delay
            delay = self._delay(record.failures)
            record.retry_at = self._clock() + delay
            self._report(f"{child.name} did not start again (next attempt in {delay:g}s): {error}")
            return
        record.retry_at = None
        if started is None:  # its owner stopped it meanwhile
            record.failures -= 1
            return
        record.up_since = self._clock()
        self._report(f"{child.name} restarted: {started}")

    def _delay(self, failures: int) -> float:
        if failures == 0:
            return 0.0
        return float(min(self._first_delay * 2 ** (failures - 1), self._max_delay))
