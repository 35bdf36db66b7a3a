"""Pooled connections go back to the pool without a reset query (services/common/db.py), which
is only safe while no code leaves session state on a connection: a session-level SET (another
tenant's search_path!), a session advisory lock, a LISTEN, a set_config(..., false) or a
cursor held outside a transaction. This test reads every SQL string of the services and
refuses those."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
# Applied to whole string literals (adjacent literals joined, f-string fields as "{}"), so
# that "UPDATE ... " "SET x = ..." split over lines is one statement.
SESSION_STATE = re.compile(
    r"""(?ix)
    (?:^|;)\s*SET\s+(?!LOCAL\b|CONSTRAINTS\b|TRANSACTION\b)[a-z_.]+\s*(?:TO|=)   # SET x TO / SET x =
    | \bpg_(?:try_)?advisory_lock(?:_shared)?\s*\(                                # session advisory lock
    | (?:^|;)\s*LISTEN\s
    | \bset_config\s*\([^)]*,\s*false\s*\)
    | \bDECLARE\s+\w+\s+(?:[a-z ]*\s)?CURSOR\s+WITH\s+HOLD
    """,
)


def string_literals(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    # An f-string's literal parts are Constant nodes too: read them only as part of the whole.
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    for node in ast.walk(tree):
        if id(node) in parts:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
    return found


def sql_sources() -> list[Path]:
    return sorted(p for p in (ROOT / "services").rglob("*.py") if "__pycache__" not in p.parts)


def test_no_service_leaves_session_state_on_a_pooled_connection() -> None:
    found = [f"{path.relative_to(ROOT)}:{n}: {text[:120]}"
             for path in sql_sources()
             for n, text in string_literals(path.read_text())
             if SESSION_STATE.search(text.strip())]
    assert not found, "session state on a pooled connection (db.py runs no reset query):\n" + "\n".join(found)


@pytest.mark.parametrize("code", [
    'conn.execute("SET search_path TO tenant_a")', "conn.execute(f\"BEGIN; SET statement_timeout = '{t}'\")",
    'conn.execute("SELECT pg_advisory_lock(1)")', 'conn.execute("LISTEN changes")',
    "conn.execute(\"SELECT set_config('search_path', 'x', false)\")",
    'conn.execute("DECLARE c CURSOR WITH HOLD FOR SELECT 1")',
])
def test_the_check_recognises_session_state(code: str) -> None:
    assert any(SESSION_STATE.search(text) for _, text in string_literals(code))


@pytest.mark.parametrize("code", [
    'conn.execute(f"BEGIN; SET LOCAL search_path TO {schema}")', 'conn.execute("UPDATE users "\n "SET email = $1")',
    'conn.execute("SELECT pg_advisory_xact_lock(1)")', "conn.execute(\"SELECT set_config('search_path', 'x', true)\")",
    'conn.execute("INSERT INTO r VALUES ($1) ON CONFLICT (k) DO UPDATE "\n "SET expire_time = EXCLUDED.expire_time")',
])
def test_the_check_leaves_transaction_scoped_sql_alone(code: str) -> None:
    assert not any(SESSION_STATE.search(text) for _, text in string_literals(code))
