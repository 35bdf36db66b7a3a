"""In-process services on port 0 against real PostgreSQL and Redis (one database per session)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from services.common.server import ServiceServer
from services.common.settings import Settings
from tools.devstack import PostgresServer, RedisServer


def service_settings(service: str, database_url: str, redis_url: str, **env: str) -> Settings:
    return Settings.from_env(service, {
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "BINOAUTH_GRPC_PORT": "0",
        "BINOAUTH_METRICS_PORT": "0", "BINOAUTH_DRAIN_SECONDS": "0", "BINOAUTH_LOG_JSON": "true", **env,
    })


@dataclass
class Services:
    servers: dict[str, ServiceServer]
    database_url: str
    bootstrap_api_key: str

    def target(self, service: str) -> str:
        return f"127.0.0.1:{self.servers[service].port}"


@pytest.fixture(scope="session")
async def services(postgres: PostgresServer, redis_server: RedisServer) -> AsyncIterator[Services]:
    from services.identity.bootstrap import build as identity
    from services.session.bootstrap import build as session
    from services.tenant.bootstrap import build as tenant
    from services.token.bootstrap import build as token

    database_url = postgres.create_database("integration")
    key = "bino_it_" + secrets.token_urlsafe(32)
    servers: dict[str, ServiceServer] = {}
    for name, build in (("identity", identity), ("token", token), ("session", session)):
        servers[name] = ServiceServer(service_settings(name, database_url, redis_server.url), build)
        await servers[name].start()
    addresses = {f"BINOAUTH_{n.upper()}_ADDR": f"127.0.0.1:{s.port}" for n, s in servers.items()}
    servers["tenant"] = ServiceServer(
        service_settings("tenant", database_url, redis_server.url, BINOAUTH_BOOTSTRAP_API_KEY=key, **addresses),
        tenant,
    )
    await servers["tenant"].start()
    for server in servers.values():
        await server.wait_ready()
    yield Services(servers, database_url, key)
    for server in servers.values():
        await server.stop(drain=False)
