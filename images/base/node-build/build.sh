#!/usr/bin/env bash
# Local base "node-build": Debian bookworm minbase with nodejs (18) and npm, trusting this machine's CA.
# Usage: build.sh ROOTFS_DIR IMAGE_NAME (called by images/base/build-bases.sh).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: build.sh ROOTFS_DIR IMAGE_NAME" >&2; exit 2; }
rootfs=$1
image=$2
# shellcheck source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib.sh"

# Only a build stage uses this base: the frontend's runtime image never contains node or npm.
# npm is installed afterwards with apt: debootstrap's own resolver leaves some of npm's ~300 node-* dependencies
# out (it does not follow every alternative), and dpkg then refuses to configure npm.
bootstrap_rootfs "$rootfs" nodejs,ca-certificates
# Before apt: a mirror reached over https through the egress needs the host's CA (and again below).
trust_host_ca "$rootfs"
echo "base: apt-get install npm in $rootfs ..."
chroot "$rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
  'apt-get update -qq && apt-get install -y -qq --no-install-recommends npm' >"$rootfs.apt.log" 2>&1 || {
  echo "apt-get install npm failed; last lines of $rootfs.apt.log:" >&2
  tail -n 20 "$rootfs.apt.log" >&2
  exit 1
}
# After the packages: ca-certificates' own bundle would otherwise replace the host's (which trusts the egress).
trust_host_ca "$rootfs"
slim_rootfs "$rootfs"

# Node reads NODE_EXTRA_CA_CERTS; npm has its own TLS settings and reads its cafile from NPM_CONFIG_CAFILE.
import_rootfs "$rootfs" "$image" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENV LANG=C.UTF-8' \
  'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  'ENV NPM_CONFIG_CAFILE=/etc/ssl/certs/ca-certificates.crt' \
  'ENV NPM_CONFIG_UPDATE_NOTIFIER=false' \
  'CMD ["node"]'
