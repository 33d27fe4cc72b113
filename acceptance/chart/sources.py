"""What an application's own sources name: configuration nobody reads is configuration that does nothing."""

from __future__ import annotations

from pathlib import Path

SOURCE_SUFFIXES = (".py", ".js", ".jsx", ".ts", ".tsx", ".go", ".java", ".rb", ".sh", ".conf", ".template")
SKIPPED_DIRECTORIES = {"tests", "test", "node_modules", "dist", "__pycache__", ".venv"}


def source_files(root: Path) -> list[Path]:
    """The application's source files under a build context (tests and dependencies left out)."""
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix in SOURCE_SUFFIXES
                  and not SKIPPED_DIRECTORIES & set(path.relative_to(root).parts[:-1]))


def unread_names(names: list[str], root: Path) -> list[str]:
    """The names (environment variables, keys) that no source file under root mentions."""
    text = "\n".join(path.read_text(errors="replace") for path in source_files(root))
    return [name for name in names if name not in text]
