#!/usr/bin/env bash
# Installs Debian's Docker engine when missing and starts dockerd when it is not answering.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/install-docker.sh [--help]

Makes a Docker engine available on this machine:
  - installs Debian's docker.io package when dockerd is missing (needs root and apt),
  - starts dockerd in the background when `docker info` does not answer
    (log: /var/log/dockerd.log), and waits up to 60 s for it.
USAGE
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) echo "install-docker.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac

if docker info >/dev/null 2>&1; then
  echo "docker: engine already answering ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "docker: dockerd is missing and installing it needs root: run 'sudo apt-get install docker.io'" >&2
    exit 1
  fi
  echo "docker: installing docker.io from Debian packages ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

echo "docker: starting dockerd (log: /var/log/dockerd.log) ..."
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker: engine ready ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker: dockerd did not answer within 60 s; see the end of /var/log/dockerd.log:" >&2
tail -n 20 /var/log/dockerd.log >&2
exit 1
