"""Closed-loop load from threads, and per-process CPU/memory from /proc, shared by the
`make bench` and `make bench-tenants` benchmarks."""

from __future__ import annotations

import contextlib
import os
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


# --- per-process CPU and memory, read from /proc (Linux) -------------------------------------

_TICK_US = 1_000_000 / os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): field 3 onwards."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2:].split()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
    return found


def cpu_us(pid: int, with_children: bool = False) -> float:
    """CPU (user + system) a process used so far, in microseconds. with_children: also its
    live children's and the exited ones it reaped (PostgreSQL's backends under the postmaster),
    so that a backend ending between two readings loses nothing."""
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime are fields 14-17 of stat(5): 11-14 after the name.
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
        for child in _children(pid):
            with contextlib.suppress(OSError):
                child_fields = _stat_fields(child)
                ticks += int(child_fields[11]) + int(child_fields[12])
    return ticks * _TICK_US


def rss_mib(pid: int) -> float:
    """Resident memory of one process in MiB (0 if it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class CpuMeter:
    """CPU of named processes between two readings: `processes` maps a name to (pid, whether
    its children count too)."""

    def __init__(self, processes: dict[str, tuple[int, bool]]) -> None:
        self.processes = processes

    def read(self) -> dict[str, float]:
        return {name: cpu_us(pid, children) for name, (pid, children) in self.processes.items()}

    @staticmethod
    def per_operation(before: dict[str, float], after: dict[str, float], operations: int) -> dict[str, float]:
        return {name: (after[name] - before[name]) / max(operations, 1) for name in before}


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured markdown table, text left-aligned and figures right-aligned."""
    def numeric(cell: str) -> bool:
        return cell.replace(".", "", 1).replace("x", "").replace(" / ", "").replace(",", "").strip().isdigit()

    align = ["---:" if rows and all(numeric(r[i]) or not r[i] for r in rows) else "---"
             for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
