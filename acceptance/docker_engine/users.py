"""Who a USER instruction or an image's configured user really is: UID 0 in any spelling is root."""

from __future__ import annotations


def uid_of(name: str, passwd: str) -> int | None:
    """The UID passwd (the text of an /etc/passwd) gives name, or None when it lists no such user."""
    for line in passwd.splitlines():
        fields = line.split(":")
        if len(fields) >= 3 and fields[0] == name and fields[2].isdigit():
            return int(fields[2])
    return None


def is_root(user: str, passwd: str | None = None) -> bool:
    """Whether a USER value ('app', '1001', '0:1001', 'root:app', '00', '') runs as root.

    An empty user is root (Docker's default); a number is root when it is 0; a name is root when
    it is "root", or when passwd (where the image has one) gives it UID 0.
    """
    name = user.strip().split(":", 1)[0].strip()
    if not name or name == "root":
        return True
    if name.isdigit():
        return int(name) == 0
    return passwd is not None and uid_of(name, passwd) == 0


def non_root_uid(printed: str) -> bool:
    """Whether what `id -u` printed is a user ID other than 0 (any UID but 0 is non-root)."""
    printed = printed.strip()
    return printed.isdigit() and int(printed) != 0
