"""Adds __init__.py files to the generated stubs so that mypy and packaging see packages."""

import sys
from pathlib import Path


def main(root: str) -> None:
    for folder in Path(root).rglob("*"):
        if folder.is_dir():
            (folder / "__init__.py").touch()


if __name__ == "__main__":
    main(sys.argv[1])
