"""Tables for people, JSON for scripts (`--output json`), and errors as one line on stderr."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

Column = tuple[str, str]  # (header, dotted key into the row)


def _get(row: Any, path: str) -> Any:
    value = row
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


_TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and (stamp := _TIMESTAMP.match(value)):
        return f"{stamp[1]} {stamp[2]}"  # tables show seconds, UTC; JSON keeps the API's value
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def stdout() -> Console:
    # Made per call, not at import: test runners replace sys.stdout between invocations.
    return Console(soft_wrap=True, highlight=False)


def emit_json(data: Any) -> None:
    print(json.dumps(data, indent=2, sort_keys=True, default=str))


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[Column], output: str, *,
              json_data: Any = None, title: str = "", keep: Sequence[str] = ()) -> None:
    """`keep`: headers of columns never folded besides the first (the id people copy)."""
    if output == "json":
        emit_json(json_data if json_data is not None else list(rows))
        return
    if not rows:
        stdout().print(f"No {title or 'results'}.")
        return
    table = Table(title=title or None, title_justify="left", header_style="bold")
    for index, (header, _) in enumerate(columns):
        table.add_column(header, overflow="fold", no_wrap=index == 0 or header in keep, min_width=len(header))
    for row in rows:
        table.add_row(*(_text(_get(row, path)) for _, path in columns))
    stdout().print(table)


def emit_object(data: dict[str, Any], output: str, fields: Sequence[Column] | None = None) -> None:
    if output == "json":
        emit_json(data)
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for header, path in fields or [(key, key) for key in data]:
        value = _get(data, path)
        if value not in (None, "", [], {}):
            table.add_row(header, _text(value))
    stdout().print(table)


def error(message: str) -> None:
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"[red]error:[/red] {escape(message)}", markup=True)
