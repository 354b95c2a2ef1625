"""The shape of the product's code against its targets: import circles, modules over 450 lines
(the Zoom client excepted) and the places `duplicates` finds repeated between two product files
(tests, migrations, the sandbox, scripts and benchmarks left out). The Zoom leg of the create path
is benchmarks/create_path.py's (it needs PostgreSQL and a sandbox).

    .venv/bin/python benchmarks/code_shape.py

Exits 1 and names each target missed. Reads the source only (scripts/code_shape.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.code_shape import duplicate_pairs, import_circles, module_lengths  # noqa: E402

MAX_CIRCLES = 0
MAX_LINES = 450
LONG_ALLOWED = {"integrations/zoom/api/client.py"}  # the one module that knows Zoom's API
MAX_DUPLICATE_PAIRS = 7


def main() -> int:
    missed = []

    circles = import_circles()
    print(f"import circles among product modules: {len(circles)} (target ≤ {MAX_CIRCLES})")
    for group in circles:
        print("    " + " ↔ ".join(group))
    if len(circles) > MAX_CIRCLES:
        missed.append("import circles")

    lengths = module_lengths()
    long = [(n, path) for n, path in lengths if n > MAX_LINES and path not in LONG_ALLOWED]
    print(
        f"product modules over {MAX_LINES} lines, the Zoom client excepted: {len(long)} (target 0)"
    )
    for lines, path in [(n, p) for n, p in lengths if n > MAX_LINES]:
        print(f"    {lines:5d} {path}" + ("  (allowed)" if path in LONG_ALLOWED else ""))
    if long:
        missed.append("module length")

    pairs = duplicate_pairs()
    if pairs is None:
        print("duplicate pairs: not measured (no `duplicates` command)")
    else:
        print(f"product duplicate pairs: {len(pairs)} (target ≤ {MAX_DUPLICATE_PAIRS})")
        for pair in pairs:
            print(f"    {pair}")
        if len(pairs) > MAX_DUPLICATE_PAIRS:
            missed.append("duplicate pairs")

    if missed:
        print("missed: " + ", ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
