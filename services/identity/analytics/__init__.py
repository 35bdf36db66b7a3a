"""The analytics API's data: counters folded from Redis into PostgreSQL (see rollup.py)."""
