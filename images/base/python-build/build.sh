#!/usr/bin/env bash
# Local base "python-build": Debian bookworm minbase with python3, venv and pip, trusting this machine's CA.
# Usage: build.sh ROOTFS_DIR IMAGE_NAME (called by images/base/build-bases.sh).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: build.sh ROOTFS_DIR IMAGE_NAME" >&2; exit 2; }
rootfs=$1
image=$2
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib.sh"

# No compiler: every pinned backend dependency ships a manylinux wheel, so pip never builds from source.
bootstrap_rootfs "$rootfs" python3,python3-venv,python3-pip,ca-certificates
# After the packages: ca-certificates' own bundle would otherwise replace the host's (which trusts the egress).
trust_host_ca "$rootfs"
slim_rootfs "$rootfs"

# Debian's /usr/bin/python3 is the interpreter a venv made here points at; python-runtime ships the same path.
import_rootfs "$rootfs" "$image" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENV LANG=C.UTF-8' \
  'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
  'CMD ["python3"]'
