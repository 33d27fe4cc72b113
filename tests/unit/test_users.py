"""UID 0 in any spelling is root; a name is root when the image's /etc/passwd says so."""

from __future__ import annotations

import pytest

from acceptance.docker_engine.users import is_root, non_root_uid, uid_of

PASSWD = "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1001:1001::/app:/sbin/nologin\n"


@pytest.mark.parametrize("user", ["", "root", "0", "00", "0:1001", "root:app", " 0 ", "toor"])
def test_root_in_any_spelling(user: str) -> None:
    assert is_root(user, PASSWD)


@pytest.mark.parametrize("user", ["app", "1001", "1001:0", "app:root", "101:101"])
def test_non_root_users(user: str) -> None:
    assert not is_root(user, PASSWD)


def test_a_name_is_only_root_by_its_passwd_entry() -> None:
    assert not is_root("toor") and is_root("toor", PASSWD)
    assert uid_of("app", PASSWD) == 1001 and uid_of("nobody", PASSWD) is None


@pytest.mark.parametrize(("printed", "non_root"), [("1001\n", True), ("1000", True), ("101", True), ("0\n", False), ("", False), ("root", False)])
def test_id_u_prints_a_non_root_uid_when_it_is_a_number_other_than_0(printed: str, non_root: bool) -> None:
    assert non_root_uid(printed) is non_root
