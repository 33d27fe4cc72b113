"""Env files for deploy.sh with one kind of defect on one line, holding a secret that must never be printed."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from acceptance.profile import database

if TYPE_CHECKING:
    from acceptance.profile.model import Profile

# The line of the env file that holds the defect (the seed's OPENAI_API_KEY), as the error must name it.
DEFECT_LINE = 2

# Each kind of defect a .env line can have, as the bytes of its value around the secret.
DEFECTS = {
    "text that is not UTF-8": lambda secret: secret + b"\xff\xfe",
    "a control character": lambda secret: secret[:8] + b"\x1b" + secret[8:],
    "a NUL byte": lambda secret: secret[:8] + b"\x00" + secret[8:],
    "an inline comment": lambda secret: secret + b"  # my personal key",
    "a space after the equals sign": lambda secret: b" " + secret,
    "trailing whitespace": lambda secret: secret + b"  ",
}


def new_secret() -> str:
    """A credential-shaped value no earlier run used; its unique part must not appear in any output."""
    return f"sk-canary-envfile-{uuid.uuid4().hex}"


def secret_fragments(secret: str) -> list[str]:
    """Pieces of the secret that give it away when printed (the whole, and its unique part)."""
    unique = secret.rsplit("-", 1)[-1]
    return [secret, unique, unique[:12]]


def write(path: Path, secret: str, profile: Profile, defect: str | None = None) -> Path:
    """An env file with every credential the profile's chart takes, empty but one: the first that is not the
    database's (the seed's OPENAI_API_KEY) holds the secret, with the defect when named, on line DEFECT_LINE.

    Raises:
        KeyError: the defect is not one of DEFECTS.
        NotJudged: the profile names no credential but the database's.
    """
    value = DEFECTS[defect](secret.encode()) if defect else secret.encode()
    holder = database.changeable_credential(profile)
    empty = [f"{name}=".encode() for name in profile.credential_names() if name != holder]
    first = empty.pop(0) if empty else b"# a .env of the acceptance suite"
    path.write_bytes(b"\n".join([first, holder.encode() + b"=" + value, *empty]) + b"\n")
    path.chmod(0o600)
    return path
