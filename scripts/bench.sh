#!/usr/bin/env bash
# Runs the benchmark (scripts/bench.py) with the suite's venv; prints a Markdown table.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "${1:-}" in
  -h|--help) exec "$root/.venv/bin/python" "$root/scripts/bench.py" --help ;;
esac
exec "$root/.venv/bin/python" "$root/scripts/bench.py" "$@"
