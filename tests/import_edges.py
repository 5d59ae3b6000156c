"""List the app-to-app import edges of src/twintrack: `python tests/import_edges.py [--all]`.

An edge is one import statement in app A naming a module of app B (A != B); it is
"local" when it sits inside a function. Prints the app pairs with their counts, then the
totals; --all also prints every statement. Used to measure the layering (issue 13)."""
from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "twintrack"


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "twintrack" or len(parts) < 2:
        return None
    return parts[1]


def imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        if node.module == "twintrack":
            return [f"twintrack.{alias.name}" for alias in node.names]
        return [node.module]
    return []


def edges(path: Path):
    """(from_app, to_app, module, line, local) for each cross-app import of one file."""
    module = "twintrack." + ".".join(path.relative_to(SRC).with_suffix("").parts)
    here = app_of(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local_nodes = {id(inner) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for inner in ast.walk(fn)}
    for node in ast.walk(tree):
        for target in imported_modules(node):
            there = app_of(target)
            if there and there != here:
                yield here, there, module, node.lineno, id(node) in local_nodes


def main(argv: list[str]) -> None:
    found = [edge for path in sorted(SRC.rglob("*.py")) if "migrations" not in path.parts for edge in edges(path)]
    pairs = Counter((a, b) for a, b, *_ in found)
    for (a, b), count in sorted(pairs.items()):
        print(f"{a:14} -> {b:14} {count}")
    local = sum(1 for *_, is_local in found if is_local)
    cycles = {tuple(sorted(p)) for p in pairs if (p[1], p[0]) in pairs}
    print(f"{len(found)} import statements across apps ({local} inside functions), "
          f"{len(pairs)} app pairs, {len(cycles)} pairs importing each other: "
          + ", ".join(f"{a}<->{b}" for a, b in sorted(cycles)))
    if "--all" in argv:
        for a, b, module, line, is_local in found:
            print(f"{module}:{line} -> {b}{' (local)' if is_local else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
