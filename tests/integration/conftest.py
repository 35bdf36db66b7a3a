"""In-process services on port 0 against real PostgreSQL and Redis (one database per session)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from services.common.server import ServiceServer
from services.common.settings import Settings
from tools.devstack import PostgresServer, RedisServer, free_port


def service_settings(service: str, database_url: str, redis_url: str, **env: str) -> Settings:
    return Settings.from_env(service, {
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "BINOAUTH_GRPC_PORT": "0",
        "BINOAUTH_METRICS_PORT": "0", "BINOAUTH_DRAIN_SECONDS": "0", "BINOAUTH_LOG_JSON": "true",
        "BINOAUTH_KEY_ENCRYPTION_KEY": "integration-tests-key-encryption-key-0123456789", **env,
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
    # Ports first, so that every service knows where every other one is.
    ports = {name: free_port() for name in ("tenant", "identity", "token", "session")}
    addresses = {f"BINOAUTH_{n.upper()}_ADDR": f"127.0.0.1:{p}" for n, p in ports.items()}
    builds = {"identity": identity, "token": token, "session": session, "tenant": tenant}
    servers: dict[str, ServiceServer] = {}
    for name, build in builds.items():
        extra = {"BINOAUTH_BOOTSTRAP_API_KEY": key} if name == "tenant" else {}
        servers[name] = ServiceServer(service_settings(
            name, database_url, redis_server.url, BINOAUTH_GRPC_PORT=str(ports[name]), **addresses, **extra), build)
        await servers[name].start()
    for server in servers.values():
        await server.wait_ready()
    yield Services(servers, database_url, key)
    for server in servers.values():
        await server.stop(drain=False)
