"""Module sizes and the longest functions of a source tree (default: this package).

Usage: ``python checks/layout.py [SRC_DIR] [--top N]``. Run it on an older checkout too
(``git worktree add /tmp/old <commit>``, then ``python checks/layout.py /tmp/old/src/helpers``)
to compare the shape of the package before and after a change.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

from helpers import paths

DEFAULT = paths.PACKAGE_DIR


def functions(file: Path):
    """(qualified name, lines) of every function and method in `file`."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    stack = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    yield name, child.end_lineno - child.lineno + 1
                stack.append((child, f"{name}."))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--top", type=int, default=10, help="how many of the longest functions to list")
    args = parser.parse_args(argv)
    files = sorted(args.src.rglob("*.py"))
    print(f"{'lines':>6}  module")
    for file in files:
        print(f"{len(file.read_text(encoding='utf-8').splitlines()):>6}  {file.relative_to(args.src)}")
    print(f"{len(files)} modules, {sum(len(f.read_text(encoding='utf-8').splitlines()) for f in files)} lines\n")
    longest = sorted(((n, name, f.relative_to(args.src)) for f in files for name, n in functions(f)), reverse=True)
    print(f"{'lines':>6}  longest functions")
    for n, name, file in longest[: args.top]:
        print(f"{n:>6}  {file}: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
