"""The profile's command line: `python -m acceptance.profile draft DIR` prints a first profile for a repository.

The drafter reads the repository with helm and the Dockerfile parser, layers above the profile; it is imported when the
command runs, the one import of a higher layer in this package (tests/unit/test_layers.py names it).
"""

from __future__ import annotations

import sys


def main() -> int:
    from acceptance.draft.cli import main as draft_main  # the CLI's only import of a higher layer, see above

    return draft_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
