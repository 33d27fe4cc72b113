"""What an application's own sources read: configuration nobody reads is configuration that does nothing.

A name is read when the code names it whole, comments left out (`os.environ["X"]`, `os.getenv("X")`,
`process.env.X`, a helper of the application's own taking "X"), or when a pydantic-settings class derives it from a
field (comments.py and settings_classes.py say how). Names are matched case-sensitively, as the environment is,
but where pydantic-settings matches them otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

from acceptance.chart import comments, settings_classes

SOURCE_SUFFIXES = (".py", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java", ".rb", ".sh", ".conf", ".template")
SKIPPED_DIRECTORIES = {"tests", "test", "node_modules", "dist", "__pycache__", ".venv"}


def source_files(root: Path) -> list[Path]:
    """The application's source files under a build context (tests and dependencies left out)."""
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix in SOURCE_SUFFIXES
                  and not SKIPPED_DIRECTORIES & set(path.relative_to(root).parts[:-1]))


def named_whole(name: str, code: str) -> bool:
    """Whether code names name as a whole word: DATABASE_URL is another variable than DATABASE."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", code) is not None


def unread_names(names: list[str], root: Path) -> list[str]:
    """The names (environment variables, keys) that no source file under root reads.

    Args:
        names: the variables to look for, as the ConfigMap spells them.
        root: the build context whose sources are read.
    """
    texts = {path: path.read_text(errors="replace") for path in source_files(root)}
    code = "\n".join(comments.code(path, text) for path, text in texts.items())
    derived = [env for path, text in texts.items() if path.suffix == ".py" for env in settings_classes.env_names(text)]
    return [name for name in names if not named_whole(name, code) and not any(env.reads(name) for env in derived)]
