"""python -m tools.openapi [--descriptor build/descriptors/api.pb] [--out openapi/openapi.json] [--check]

Writes the document, or with --check fails when the committed one differs from the protos."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gateway.descriptor import load_fds
from tools.openapi.document import build_document

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def render(descriptor: str | Path) -> str:
    return json.dumps(build_document(load_fds(descriptor)), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--descriptor", default="build/descriptors/api.pb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail when --out differs from the protos")
    args = parser.parse_args(argv)
    text = render(args.descriptor)
    if args.check:
        current = args.out.read_text() if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
