"""Throwaway PostgreSQL and Redis servers on free loopback ports, for tests and `make run`."""

from ._postgres import PostgresServer
from ._process import ServerError, free_port
from ._redis import RedisServer

__all__ = ["PostgresServer", "RedisServer", "ServerError", "free_port"]
