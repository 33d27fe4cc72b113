"""Container HEALTHCHECK: exit 0 when GET /health answers 200, else 1 (no curl needed).

Usage: python -m app.healthcheck [URL]  (default: $HEALTHCHECK_URL or http://127.0.0.1:8000/health)
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str] | None = None) -> int:
    """Probe the server once."""
    args = sys.argv[1:] if argv is None else argv
    url = args[0] if args else os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/health")
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(f"health: HTTP {error.code}: {error.read(300).decode(errors='replace')}", file=sys.stderr)
    except OSError as error:
        print(f"health: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
