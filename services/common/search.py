"""The `query` of List methods: a case-insensitive substring, turned into a LIKE pattern.

The wildcards a user types (`%`, `_`, and the escape character) match themselves: a search
for "a_b" must not also find "axb"."""

from __future__ import annotations

from services.common.errors import InvalidArgument

MAX_QUERY = 200


def like_pattern(query: str, field: str = "query") -> str | None:
    """`%query%` for `lower(column) LIKE $n` (the default escape character is backslash), or
    None for an empty query (no filter)."""
    query = query.strip()
    if not query:
        return None
    if len(query) > MAX_QUERY:
        raise InvalidArgument(f"{field} is longer than {MAX_QUERY} characters", reason="INVALID_QUERY",
                              details={"field": field})
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
