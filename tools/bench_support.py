"""Closed-loop load from threads, shared by the `make bench` benchmarks."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx


def closed_loop(call: Callable[[httpx.Client, int], bool], seconds: float,
                concurrency: int) -> tuple[float, float, int]:
    """(successes per second, median ms, failures) of `concurrency` clients, each repeating
    `call(client, n)` (True = success) for `seconds`."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop(n: int) -> None:
        with httpx.Client(timeout=60) as client:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                ok = call(client, n)
                took = time.perf_counter() - started
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        failures[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client_loop, range(concurrency)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, (statistics.median(latencies) * 1000 if latencies else 0.0), failures[0]


def operations_per_second(operation: Callable[[], object], seconds: float) -> tuple[float, float]:
    """(operations per second, median ms) of `operation` alone, on one thread."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        begin = time.perf_counter()
        operation()
        latencies.append(time.perf_counter() - begin)
    return len(latencies) / (time.perf_counter() - started), statistics.median(latencies) * 1000
