#!/usr/bin/env sh
# Makes VENV a virtualenv of PYTHON: creates it when missing, and rebuilds it when it was made by
# another Python version or is the broken leftover of a failed attempt.
set -eu
PYTHON=$1
VENV=$2

if ! "$PYTHON" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))' 2>/dev/null; then
  echo "$PYTHON does not run as Python 3.11, 3.12 or 3.13; name another: make demo PYTHON=python3.12" >&2
  exit 1
fi
want=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

if [ -e "$VENV" ]; then
  have=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
  if [ "$have" = "$want" ] && [ -f "$VENV/.created" ]; then
    exit 0
  fi
  echo "Rebuilding $VENV for Python $want (it was ${have:-incomplete})."
  rm -rf "$VENV"
fi
echo "Creating $VENV with Python $want ($PYTHON)."
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
touch "$VENV/.created"
