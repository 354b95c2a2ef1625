#!/usr/bin/env sh
# Prints a Python 3.11–3.13 that runs: python3 when it is one, else the newest python3.1x on PATH.
# With --newest (or --oldest): the newest (oldest) of all of them, pyenv's installed versions
# included (CI uses --newest; `make lock` compiles the lock files on the oldest).
# Prints what is needed and fails when there is none.
ok() { "$1" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))' 2>/dev/null; }
minor() { "$1" -c 'import sys; print(sys.version_info[1])'; }

candidates="python3 python3.13 python3.12 python3.11"
if [ "${1:-}" = "--newest" ] || [ "${1:-}" = "--oldest" ]; then
  root=$(pyenv root 2>/dev/null) && candidates="$candidates $(ls -d "$root"/versions/3.1[1-3]*/bin/python3 2>/dev/null | tr '\n' ' ')"
fi

best="" best_minor=0
for candidate in $candidates; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  ok "$path" || continue
  case "${1:-}" in --newest | --oldest) ;; *) echo "$path"; exit 0 ;; esac
  m=$(minor "$path")
  if [ -z "$best" ] || { [ "$1" = "--newest" ] && [ "$m" -gt "$best_minor" ]; } \
    || { [ "$1" = "--oldest" ] && [ "$m" -lt "$best_minor" ]; }; then
    best=$path best_minor=$m
  fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
echo "No suitable Python found: this project needs Python 3.11, 3.12 or 3.13 on PATH" >&2
echo "(as python3 or python3.1x), or name one: make demo PYTHON=/path/to/python3.12" >&2
exit 1
