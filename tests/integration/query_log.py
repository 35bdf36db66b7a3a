"""What a test's connections sent to PostgreSQL, counted client-side: asyncpg's query logger
sees simple and extended protocol alike, BEGIN/COMMIT included (PostgreSQL's log would be
slower to read)."""

from __future__ import annotations

import asyncpg


class QueryCount:
    def __init__(self) -> None:
        self.queries: list[str] = []

    async def init(self, conn: asyncpg.Connection) -> None:
        """Logs `conn`'s statements from now on (a pool's init hook, or one connection)."""
        conn.add_query_logger(lambda record: self.queries.append(record.query))

    async def watch(self, pool: asyncpg.Pool) -> None:
        """Logs the statements of a one-connection pool (a services' pool, with its codecs)."""
        async with pool.acquire() as conn:
            await self.init(conn)

    def since(self, mark: int) -> list[str]:
        return self.queries[mark:]


async def counting_pool(dsn: str, count: QueryCount) -> asyncpg.Pool:
    return await asyncpg.create_pool(dsn, min_size=0, max_size=4, init=count.init)
