#!/usr/bin/env sh
# Prints the first Python 3.11–3.13 found on PATH (python3 first, then the newest versioned name).
# Prints what is needed and fails when there is none.
for candidate in python3 python3.13 python3.12 python3.11; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "No suitable Python found: this project needs Python 3.11, 3.12 or 3.13 on PATH" >&2
echo "(as python3 or python3.1x), or name one: make demo PYTHON=/path/to/python3.12" >&2
exit 1
