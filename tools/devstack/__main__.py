"""python -m tools.devstack {pg,redis} --data DIR [--port N]: run one server in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from . import PostgresServer, RedisServer, ServerError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.devstack")
    sub = parser.add_subparsers(dest="kind", required=True)
    for kind in ("pg", "redis"):
        cmd = sub.add_parser(
            kind, help=f"run {'PostgreSQL' if kind == 'pg' else 'Redis'}"
        )
        cmd.add_argument("--data", type=Path, required=True, help="data directory")
        cmd.add_argument("--port", type=int, help="TCP port (default: a free one)")
    args = parser.parse_args(argv)

    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    server: PostgresServer | RedisServer
    if args.kind == "pg":
        server = PostgresServer(args.data, args.port)
    else:
        server = RedisServer(args.data, args.port)
    try:
        server.start()
    except ServerError as exc:
        print(exc, file=sys.stderr)
        return 1
    with server:
        address = server.dsn if isinstance(server, PostgresServer) else server.url
        print(f"{address}  (pid {server.pid}, log {server.log_file})", flush=True)
        while not stopping.wait(0.5):
            if server.pid is None:
                print(
                    f"{args.kind} exited unexpectedly, see {server.log_file}",
                    file=sys.stderr,
                )
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
