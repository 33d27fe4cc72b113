#!/usr/bin/env bash
# Runs the backend app's own pytest tests in a venv of their own (images/backend/requirements-dev.txt).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
backend=$root/images/backend
venv=$root/.cache/backend-venv

case "${1:-}" in
  -h|--help) echo "Usage: scripts/backend-tests.sh [--help]  (runs images/backend/tests in .cache/backend-venv)"; exit 0 ;;
  "") ;;
  *) echo "backend-tests.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac

if [[ ! -x $venv/bin/pytest ]] || ! cat "$backend"/requirements*.txt | cmp -s - "$venv/requirements.lock"; then
  echo "backend-tests: installing the backend's requirements into $venv ..."
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$backend/requirements.txt" -r "$backend/requirements-dev.txt"
  cat "$backend"/requirements*.txt >"$venv/requirements.lock"
fi
cd "$backend"
exec "$venv/bin/pytest" -q -p no:cacheprovider tests
