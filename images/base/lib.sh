#!/usr/bin/env bash
# Shared functions for the local base images: a Debian rootfs from debootstrap, imported with `docker import`.
# Sourced by images/base/<name>/build.sh; never run directly.

# The Debian mirror this machine's apt already uses, so the bases come from the same place (empty: debootstrap's default).
debian_mirror() {
  local sources
  for sources in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [[ -r $sources ]] || continue
    awk '/^URIs:/ && $2 !~ /security/ {print $2; exit} /^deb / && $0 !~ /security/ {print $2; exit}' "$sources"
    return 0
  done
}

# bootstrap_rootfs DIR PACKAGES: a minbase bookworm rootfs in DIR with the comma-separated PACKAGES installed.
bootstrap_rootfs() {
  local dir=$1 packages=$2
  command -v debootstrap >/dev/null || {
    echo "debootstrap not found: install it with 'apt-get install -y debootstrap'" >&2
    return 1
  }
  echo "base: debootstrap bookworm into $dir (packages: $packages) ..."
  # shellcheck disable=SC2046  # the mirror is one word or nothing
  debootstrap --variant=minbase --include="$packages" bookworm "$dir" $(debian_mirror) >"$dir.debootstrap.log" 2>&1 || {
    echo "debootstrap failed; last lines of $dir.debootstrap.log:" >&2
    tail -n 20 "$dir.debootstrap.log" >&2
    return 1
  }
}

# trust_host_ca DIR: copy this machine's CA bundle into the rootfs, so pip and npm inside a build reach their registries.
trust_host_ca() {
  local dir=$1
  mkdir -p "$dir/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
}

# slim_rootfs DIR: drop what no container needs: apt lists and caches, docs, man pages, locales.
slim_rootfs() {
  local dir=$1
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/var/log/* "$dir"/tmp/* "$dir"/debootstrap
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
}

# import_rootfs DIR IMAGE [CHANGE...]: `docker import` the rootfs as IMAGE, each CHANGE a Dockerfile instruction (ENV, USER, CMD ...).
import_rootfs() {
  local dir=$1 image=$2
  shift 2
  local args=() change
  for change in "$@"; do args+=(--change "$change"); done
  echo "base: importing $dir as $image ..."
  tar --numeric-owner -C "$dir" -c . | docker import "${args[@]}" - "$image" >/dev/null
  echo "base: $image $(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1/1e6}')"
}
