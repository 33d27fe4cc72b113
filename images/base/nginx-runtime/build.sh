#!/usr/bin/env bash
# Local base "nginx-runtime": a tiny rootfs with Debian bookworm's nginx, its shared libraries and a static busybox.
# Usage: build.sh ROOTFS_DIR IMAGE_NAME (called by images/base/build-bases.sh).
#
# Why not a Debian minbase with nginx: that is ~90 MB of apt, dpkg, perl-base, coreutils ... that nginx never
# runs, and the frontend image must stay far below the original 76.4 MB. So debootstrap a staging rootfs
# beside ROOTFS_DIR (build-bases.sh removes both with its work dir), then copy into ROOTFS_DIR only:
#   - /usr/sbin/nginx and the libraries `ldd` names (libc, libcrypt, libpcre2, libssl, libcrypto, zlib);
#   - /etc/nginx/mime.types (the frontend's config includes it; nginx:alpine has it at the same path);
#   - busybox-static with links for the shell and the few tools the entrypoint, HEALTHCHECK and a person
#     debugging need (sh, id, wget, sed, awk ...): no package manager, no compiler, nothing setuid.
#     (Debian builds its busybox "standalone": its sh runs any applet by name; the links serve commands
#     started without a shell, such as `docker exec ... id -u`);
#   - /etc/passwd and /etc/group with nginx as UID/GID 101, as on nginx:alpine, and /tmp with mode 1777;
#   - the Debian copyright files of what it ships.
# Debian's `nginx` package holds the binary (core, gzip, proxy, headers, rewrite: all the frontend uses);
# nginx-light only adds a module package on top of it, so it is not needed.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: build.sh ROOTFS_DIR IMAGE_NAME" >&2; exit 2; }
rootfs=$1
image=$2
# shellcheck source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib.sh"

staging="$rootfs.staging"
bootstrap_rootfs "$staging" nginx,busybox-static

# The busybox applets the image offers; sh and id are in docs/contracts.md, wget serves the HEALTHCHECK.
applets=(sh ash id whoami wget sed awk grep cat ls mkdir rm mv cp ln chmod env echo printf test "[" true false
  head tail tr cut sort uniq wc sleep date ps kill pidof hostname nslookup uname du df find xargs vi less)

# copy_file SRC DEST: copy one staging file (following symlinks) to an absolute path inside the new rootfs.
copy_file() {
  local source=$1 dest=$2
  mkdir -p "$(dirname "$rootfs$dest")"
  cp -L --preserve=mode "$staging$source" "$rootfs$dest"
}

rm -rf "$rootfs"
# Merged /usr like bookworm itself, so the paths that ldd prints (/lib/..., /lib64/...) resolve unchanged.
mkdir -p "$rootfs"/usr/{bin,sbin,lib,lib64} "$rootfs"/etc/nginx "$rootfs"/usr/share/nginx "$rootfs"/var/empty
for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$rootfs/$dir"; done
install -d -m 1777 "$rootfs/tmp"

copy_file /usr/sbin/nginx /usr/sbin/nginx
# ldd in the staging rootfs resolves exactly the libraries Debian's dynamic loader will load there; each is
# copied under the name nginx asks for (its soname), into the directory that name resolves to on merged /usr.
libraries=$(chroot "$staging" ldd /usr/sbin/nginx | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
[[ -n $libraries ]] || { echo "nginx-runtime: ldd found no libraries for nginx" >&2; exit 1; }
for library in $libraries; do
  real_dir=$(chroot "$staging" readlink -f "$(dirname "$library")")
  copy_file "$library" "$real_dir/$(basename "$library")"
done
copy_file /etc/nginx/mime.types /etc/nginx/mime.types

copy_file /bin/busybox /usr/bin/busybox
available=" $(chroot "$staging" /bin/busybox --list | tr '\n' ' ') "
for applet in "${applets[@]}"; do
  [[ $available == *" $applet "* ]] || { echo "nginx-runtime: busybox has no applet '$applet'" >&2; exit 1; }
  ln -s busybox "$rootfs/usr/bin/$applet"
done

for package in nginx nginx-common libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g busybox-static; do
  [[ -f $staging/usr/share/doc/$package/copyright ]] && copy_file "/usr/share/doc/$package/copyright" "/usr/share/doc/$package/copyright"
done

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nginx:x:101:101:nginx:/var/empty:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
nginx:x:101:
nogroup:x:65534:
GROUP
# Files and DNS only; nginx resolves the backend itself with the resolver its config names.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"

# Fail here, not in the frontend build, if a library or the loader is missing: run nginx -v in the new rootfs.
chroot "$rootfs" /usr/sbin/nginx -v 2>&1 | sed 's/^/nginx-runtime: /'
chroot "$rootfs" /usr/bin/id nginx | sed 's/^/nginx-runtime: /'

import_rootfs "$rootfs" "$image" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'CMD ["nginx", "-V"]'
