"""Fixtures shared by every tier: throwaway PostgreSQL and Redis on free ports."""

from __future__ import annotations

import os

# This process runs gRPC (clients and in-process servers) and also starts servers with
# fork+exec. With gRPC's fork support on, its atfork handler runs in the child between fork
# and exec and can crash it (a PostgreSQL start died with SIGSEGV and an epoll error from
# gRPC in its log). The children exec at once and never use gRPC: turn the handlers off
# before grpc is first imported.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tools.devstack import PostgresServer, RedisServer


@pytest.fixture(scope="session")
def server_dir() -> Iterator[Callable[[str], Path]]:
    """Folders for server data outside pytest's own temp root: pytest resets that root to
    mode 0700 whenever a session starts, which would lock out PostgreSQL's system user."""
    made: list[Path] = []

    def make(name: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"binoauth-{name}-"))
        made.append(path)
        return path

    yield make
    for path in made:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(server_dir: Callable[[str], Path]) -> Iterator[PostgresServer]:
    server = PostgresServer(server_dir("pg") / "data", durable=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(server_dir: Callable[[str], Path]) -> Iterator[RedisServer]:
    server = RedisServer(server_dir("redis") / "data", persistent=False)
    server.start()
    yield server
    server.stop()
