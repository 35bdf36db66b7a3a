"""Fixtures shared by every tier: throwaway PostgreSQL and Redis on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.devstack import PostgresServer, RedisServer


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = PostgresServer(tmp_path_factory.mktemp("pg") / "data", durable=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis") / "data", persistent=False)
    server.start()
    yield server
    server.stop()
