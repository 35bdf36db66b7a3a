"""Throwaway PostgreSQL and Redis servers on free loopback ports, for tests and `make run`,
and the supervisor that restarts them (and the stack's other processes) when they die."""

from ._postgres import PostgresServer
from ._process import ServerError, describe_exit, free_port
from ._redis import RedisServer
from ._supervisor import Child, Supervisor

__all__ = ["Child", "PostgresServer", "RedisServer", "ServerError", "Supervisor", "describe_exit", "free_port"]
