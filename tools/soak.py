"""`make soak`: mixed load (tools/loadgen.py) against a throwaway stack for N minutes, with
each process's memory (RSS), open file descriptors and connections to PostgreSQL and Redis
sampled every minute. Fails when any of them keeps growing: the last sample may not exceed
the first after warm-up by more than a margin. Not part of CI (30 minutes by default).

    python -m tools.soak [--minutes 30] [--clients 4] [--interval 60]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools.loadgen import Load, analyse, make_world
from tools.stack import Stack, StackConfig

# Growth allowed between the first sample after warm-up and the last one.
RSS_MARGIN = 1.25  # x, and at least +16 MiB (allocator noise)
RSS_SLACK_KIB = 16 * 1024
COUNT_SLACK = 4  # fds or connections


@dataclass(frozen=True)
class Sample:
    minute: float
    rss_kib: int
    fds: int
    pg_connections: int
    redis_connections: int


def _socket_ports() -> dict[int, int]:
    """Socket inode -> remote port of every established TCP connection on the host."""
    ports: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "01":  # ESTABLISHED
                ports[int(fields[9])] = int(fields[2].rsplit(":", 1)[1], 16)
    return ports


def sample(pid: int, minute: float, pg_port: int, redis_port: int, ports: dict[int, int]) -> Sample | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return None  # the process is gone (restarted): its replacement is sampled next time
    rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    remote = [ports.get(int(link[8:-1]), 0) for link in links if link.startswith("socket:[")]
    return Sample(minute, rss, len(links), remote.count(pg_port), remote.count(redis_port))


def growing(samples: list[Sample], warmup: int = 1) -> list[str]:
    """What kept growing: the last sample against the first one after `warmup` samples."""
    if len(samples) <= warmup + 1:
        return []
    first, last = samples[warmup], samples[-1]
    out = []
    if last.rss_kib > max(first.rss_kib * RSS_MARGIN, first.rss_kib + RSS_SLACK_KIB):
        out.append(f"RSS {first.rss_kib // 1024} -> {last.rss_kib // 1024} MiB")
    for name in ("fds", "pg_connections", "redis_connections"):
        a, b = getattr(first, name), getattr(last, name)
        if b > a + COUNT_SLACK:
            out.append(f"{name} {a} -> {b}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.soak")
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between samples")
    args = parser.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="binoauth-soak-"))
    config = StackConfig(data_dir=data, free_ports=True, durable=True, replicas=2,
                         bootstrap_api_key="bino_soak_" + secrets.token_urlsafe(32))
    print(f"soak: {args.minutes:g} min, {args.clients} clients, a sample every {args.interval:g}s; data in {data}",
          flush=True)
    history: dict[str, list[Sample]] = {}
    try:
        with Stack(config) as stack:
            assert stack.postgres is not None and stack.redis is not None
            platform = {"Authorization": f"Bearer {stack.bootstrap_api_key}"}
            limits = {g: {"per_ip_per_minute": 1_000_000, "per_tenant_per_minute": 1_000_000}
                      for g in ("login", "token", "management")}
            world = make_world(stack.gateway_url, platform, f"soak-{secrets.token_hex(3)}", 4,
                               {"rate_limits": limits})
            started = time.monotonic()
            with Load(world, clients=args.clients) as load:
                while True:
                    minute = (time.monotonic() - started) / 60
                    ports = _socket_ports()
                    for replicas in stack.replicas.values():
                        for replica in replicas:
                            if replica.process is None:
                                continue
                            got = sample(replica.process.pid, minute, stack.postgres.port, stack.redis.port, ports)
                            if got is not None:
                                history.setdefault(replica.name, []).append(got)
                    answered = load.results()
                    print(f"  {minute:5.1f} min: {len(answered)} requests, "
                          f"{sum(1 for r in answered if not r.ok)} failed", flush=True)
                    if minute >= args.minutes:
                        break
                    time.sleep(min(args.interval, max(1.0, args.minutes * 60 - (time.monotonic() - started))))
            report = analyse(f"soak {args.minutes:g} min", load.results(), None)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(report.line())
    print(f"{'process':<12} {'RSS MiB first..last (max)':<28} {'fds':<12} {'pg conns':<12} {'redis conns':<12}")
    problems: list[str] = []
    for name, samples in sorted(history.items()):
        first, last = samples[min(1, len(samples) - 1)], samples[-1]
        peak = max(s.rss_kib for s in samples)
        print(f"{name:<12} {first.rss_kib // 1024:>5} .. {last.rss_kib // 1024:<5} ({peak // 1024:>4})"
              f"{'':<10} {first.fds:>3} .. {last.fds:<5} {first.pg_connections:>3} .. {last.pg_connections:<5} "
              f"{first.redis_connections:>3} .. {last.redis_connections:<5}")
        problems += [f"{name}: {p}" for p in growing(samples)]
    for problem in problems:
        print("GROWING:", problem)
    return 1 if problems or report.success_ratio < 0.999 else 0


if __name__ == "__main__":
    sys.exit(main())
