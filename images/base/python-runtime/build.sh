#!/usr/bin/env bash
# Local base "python-runtime": Debian's python3 (stdlib only), /bin/sh and a few coreutils, nothing else.
# Usage: build.sh ROOTFS_DIR IMAGE_NAME (called by images/base/build-bases.sh).
#
# Why assembled and not a trimmed minbase: a minbase carries apt, dpkg, perl-base, bash, and
# the essential set that dpkg will not remove cleanly (~80 MB before Python). Instead we
# debootstrap a staging rootfs (ROOTFS_DIR.stage) with python3 and ca-certificates, then copy
# into ROOTFS_DIR only what the backend needs at run time:
#   - the interpreter at Debian's path (/usr/bin/python3 -> python3.11, as in python-build, so a
#     venv made there runs here) and its stdlib, pruned of test suites, IDLE, tkinter, lib2to3,
#     ensurepip, pydoc data and the dbm/curses/readline/nis extensions (their libraries, Kerberos
#     and all, stay out too);
#   - glibc's shared libraries (without gconv: Python has its own codecs) and the C.utf8 locale;
#     libgcc_s, which glibc loads on thread exit and Rust/C++ wheels link against;
#   - every other shared library the copied programs and extension modules load, found with
#     the dynamic loader's --list, so nothing is guessed;
#   - dash as /bin/sh, coreutils' id, mkdir, chown and a few tools for RUN lines and debugging;
#   - /etc/passwd, /etc/group, nsswitch.conf and Debian's CA bundle (ca-certificates), not the
#     host's: the egress CA this machine needs is no business of a deployed image.
# No apt, dpkg, pip, compiler, docs, man pages or locales beyond C.utf8.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: build.sh ROOTFS_DIR IMAGE_NAME" >&2; exit 2; }
rootfs=$1
image=$2
stage=$rootfs.stage
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib.sh"

bootstrap_rootfs "$stage" python3,ca-certificates

arch_libdir=usr/lib/x86_64-linux-gnu
[[ -d $stage/$arch_libdir ]] || { echo "python-runtime: only x86_64 is supported ($arch_libdir missing)" >&2; exit 1; }
pyver=$(chroot "$stage" /usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
pylib=usr/lib/python$pyver

# Merged /usr, as in Debian bookworm: the top-level directories are symlinks.
mkdir -p "$rootfs"/{usr/bin,usr/sbin,usr/lib64,$arch_libdir,etc/ssl/certs,proc,sys,dev,run,home,root,tmp,var/tmp}
ln -s usr/bin "$rootfs/bin"
ln -s usr/sbin "$rootfs/sbin"
ln -s usr/lib "$rootfs/lib"
ln -s usr/lib64 "$rootfs/lib64"
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
chmod 700 "$rootfs/root"

# canonical PATH: the path under the merged /usr layout (no leading slash), so tar never meets a directory symlink.
canonical() {
  local path=${1#/}
  case $path in
    bin/* | sbin/* | lib/* | lib64/*) path=usr/$path ;;
  esac
  printf '%s\n' "$path"
}

list=$rootfs.files
: >"$list"
# want PATH...: copy each path (inside the stage) later; a symlink brings its target along.
want() {
  local path target
  for path in "$@"; do
    path=$(canonical "$path")
    [[ -e $stage/$path || -L $stage/$path ]] || { echo "python-runtime: $path missing in the staging rootfs" >&2; return 1; }
    printf '%s\n' "$path" >>"$list"
    if [[ -L $stage/$path ]]; then
      target=$(readlink -f "$stage/$path")
      want "${target#"$stage"}"
    fi
  done
}

# glibc without gconv and its docs, plus the C.utf8 locale it ships.
while read -r path; do
  case $path in
    /usr/share/* | */gconv* | /etc/*) continue ;;
  esac
  [[ -f $stage$path || -L $stage$path ]] && want "$path"
done < <(chroot "$stage" dpkg-query -L libc6 | sort -u)
want /usr/lib/locale/C.utf8/LC_CTYPE /usr/lib/locale/C.utf8/LC_COLLATE /usr/lib/locale/C.utf8/LC_NUMERIC \
  /usr/lib/locale/C.utf8/LC_TIME /usr/lib/locale/C.utf8/LC_MONETARY /usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES \
  /usr/lib/locale/C.utf8/LC_PAPER /usr/lib/locale/C.utf8/LC_NAME /usr/lib/locale/C.utf8/LC_ADDRESS \
  /usr/lib/locale/C.utf8/LC_TELEPHONE /usr/lib/locale/C.utf8/LC_MEASUREMENT /usr/lib/locale/C.utf8/LC_IDENTIFICATION
want "/$arch_libdir/libgcc_s.so.1"

# Programs: the interpreter, the shell and the few tools RUN lines and `docker exec` need.
want /usr/bin/python3 "/usr/bin/python$pyver" /bin/sh /bin/dash
for tool in id cat chmod chown cp env head ln ls mkdir mv rm sleep tail touch uname; do
  want "/usr/bin/$tool"
done

# Configuration files.
want /etc/passwd /etc/group /etc/ssl/certs/ca-certificates.crt /usr/lib/os-release /etc/os-release
[[ -d $stage/etc/python$pyver ]] && want "/etc/python$pyver"

# The stdlib, whole (with the .pyc files Debian compiled at install time), pruned afterwards.
printf '%s\n' "$pylib" >>"$list"

tar -C "$stage" -c --no-recursion -T <(grep -v "^$pylib\$" "$list" | sort -u) | tar -C "$rootfs" -x
tar -C "$stage" -c "$pylib" | tar -C "$rootfs" -x
[[ -d $stage/etc/python$pyver ]] && tar -C "$stage" -c "etc/python$pyver" | tar -C "$rootfs" -x

# Prune the stdlib: nothing here is imported by a server.
(
  cd "$rootfs/$pylib"
  rm -rf test idlelib tkinter turtledemo turtle.py lib2to3 ensurepip pydoc_data __phello__ \
    config-"$pyver"-* site-packages/* dist-packages/*
  find . -depth -type d \( -name test -o -name tests -o -name idle_test \) -exec rm -rf {} +
  rm -f lib-dynload/_dbm.* lib-dynload/_gdbm.* lib-dynload/_curses*.so lib-dynload/readline.* \
    lib-dynload/_tkinter.* lib-dynload/xxlimited*.so lib-dynload/_test*.so lib-dynload/_xx*.so \
    lib-dynload/_ctypes_test.* lib-dynload/nis.*
  # stale bytecode of removed modules
  find . -name '*.pyc' -path '*__pycache__*' | while read -r pyc; do
    module=${pyc%/__pycache__/*}/$(basename "$pyc" | sed 's/\.cpython-.*\.pyc$//')
    [[ -e $module.py || -d $module ]] || rm -f "$pyc"
  done
)

# Shared libraries the copied ELF files load, resolved by the loader inside the stage.
: >"$list"
while read -r elf; do
  chroot "$stage" /usr/lib64/ld-linux-x86-64.so.2 --list "/$elf" 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// {print $3}'
done < <(cd "$rootfs" && find usr -type f \( -name '*.so*' -o -path 'usr/bin/*' \) -exec sh -c \
  'head -c4 "$1" | grep -q ELF' _ {} \; -print) | sort -u | while read -r lib; do want "$lib"; done
tar -C "$stage" -c --no-recursion -T <(sort -u "$list") | tar -C "$rootfs" -x
rm -f "$list"

printf '%s\n' 'passwd: files' 'group: files' 'shadow: files' 'hosts: files dns' 'networks: files' \
  'protocols: files' 'services: files' >"$rootfs/etc/nsswitch.conf"

# Point OpenSSL's default locations at the bundle (the openssl package, which makes these, is not here).
mkdir -p "$rootfs/usr/lib/ssl"
ln -sfn /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
ln -sfn /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"

# Fail the build, not the first container, when something is missing.
chroot "$rootfs" /usr/bin/python3 -c \
  'import ssl, sqlite3, ctypes, uuid, zlib, bz2, lzma, hashlib, decimal, json, socket, asyncio, venv; ssl.create_default_context()' || {
  echo "python-runtime: the assembled interpreter fails its smoke test" >&2
  exit 1
}
chroot "$rootfs" /bin/sh -c 'id -u >/dev/null && mkdir -p /tmp/x && chown 1:1 /tmp/x && rm -rf /tmp/x'
rm -rf "$stage" "$stage.debootstrap.log"

import_rootfs "$rootfs" "$image" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENV LANG=C.UTF-8' \
  'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  'CMD ["python3"]'
