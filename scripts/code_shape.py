"""The shape of the product's code, read from its source (nothing is imported or run): which of
its modules import which, the circles among them, its longest modules and the places it repeats
itself. tests/unit/test_layers.py checks the layering with these readings and
benchmarks/code_shape.py prints the figures against their targets."""

import ast
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The product: every app and the project's configuration. Not the tests, the Zoom sandbox (a
# stand-in for Zoom), these scripts, the benchmarks, nor migrations (written by makemigrations).
PRODUCT_PACKAGES = (
    "accounts",
    "booking_webhooks",
    "config",
    "health",
    "integrations",
    "meetings",
    "outcomes",
    "teams",
)
NOT_PRODUCT = ("tests", "zoom_sandbox", "scripts", "benchmarks")


def python_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if "migrations" not in p.parts]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (function-local imports included), absolute."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            prefix = ".".join(base) if node.level else ""
            module = ".".join(p for p in (prefix, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def product_modules() -> dict[str, Path]:
    """{dotted name: file} of every product module (a package by its name)."""
    modules = {}
    for package in PRODUCT_PACKAGES:
        for path in python_files(ROOT / package):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    """{module: the product modules it imports}. A package and its own modules are not an edge
    (`from . import x` names both)."""
    modules = product_modules()

    def project_imports(name: str) -> set[str]:
        found = set()
        for imported in imported_modules(modules[name]):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                found.add(imported)
        return found

    return {name: project_imports(name) for name in modules}


def import_circles() -> list[list[str]]:
    """Groups of product modules that reach each other through imports (the strongly connected
    parts of the import graph with more than one module; Tarjan's algorithm, iteratively)."""
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            name, edges = work[-1]
            for other in edges:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph[other]))))
                    break
                if other in on_stack:
                    low[name] = min(low[name], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[name])
                if low[name] == index[name]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == name:
                            break
                    if len(group) > 1:
                        circles.append(sorted(group))
    return circles


def module_lengths() -> list[tuple[int, str]]:
    """(lines, path) of every product module, longest first."""
    lengths = [
        (len(path.read_text().splitlines()), path.relative_to(ROOT).as_posix())
        for package in PRODUCT_PACKAGES
        for path in python_files(ROOT / package)
    ]
    return sorted(lengths, reverse=True)


def is_product(path: str) -> bool:
    parts = Path(path).parts
    return bool(parts) and parts[0] not in NOT_PRODUCT and "migrations" not in parts


def duplicate_pairs(seconds: int = 120) -> list[str] | None:
    """The pairs `duplicates` lists between two places of the product (templates included; tests,
    migrations, the sandbox, scripts and benchmarks left out); None without the command."""
    command = shutil.which("duplicates")
    if command is None:
        return None
    listed = subprocess.run(
        [command, "--repo", str(ROOT), "--most", "200", "--seconds", str(seconds)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pairs = []
    for row in listed.splitlines():
        words = row.split()
        if len(words) >= 4 and words[0][0] == "D" and words[0][1:].isdigit() and words[2] == "~":
            left, right = words[1], words[3]
            if is_product(left.partition(":")[0]) and is_product(right.partition(":")[0]):
                pairs.append(f"{left} ~ {right}")
    return pairs
