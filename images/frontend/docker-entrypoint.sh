#!/bin/sh
# Renders the frontend's nginx config into /tmp from its template and the environment, then runs the command (nginx).
#
# Environment:
#   BACKEND_URL             where /api/ goes: http[s]://HOST[:PORT], no path (default http://todo-chatbot-backend:8000)
#   NGINX_WORKER_PROCESSES  a number or "auto" (default 1: the pod's CPU limit is a fraction of one core)
#
# nginx resolves the backend with the first nameservers of /etc/resolv.conf when a request needs it, so it starts
# (and answers 502 on /api/) while the backend's name does not resolve yet. nginx's resolver ignores the
# resolv.conf search list, so in Kubernetes a one-label name such as todo-chatbot-backend is completed with the
# pod's first search domain (<namespace>.svc.<cluster domain>), exactly as the pod's own lookups would.
set -eu

template=/etc/todo-chatbot/nginx.conf.template
runtime_dir=/tmp/nginx
config=$runtime_dir/nginx.conf

fail() {
  echo "todo-chatbot-frontend: $*" >&2
  exit 1
}

backend_url=${BACKEND_URL:-http://todo-chatbot-backend:8000}
backend_url=${backend_url%/}
# Only these characters ever reach the config: nothing that could end a string or a directive.
printf '%s\n' "$backend_url" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$' ||
  fail "BACKEND_URL '$backend_url' is not http[s]://HOST[:PORT] (no path, no IPv6 literal): set it, e.g. BACKEND_URL=http://todo-chatbot-backend:8000"

scheme=${backend_url%%://*}
authority=${backend_url#*://}
host=${authority%%:*}
port=
case $authority in *:*) port=:${authority#*:} ;; esac

if [ "$host" = localhost ]; then
  # DNS servers seldom answer for localhost; the container itself is meant.
  host=127.0.0.1
else
  case $host in
    *.*) ;;
    *)
      search_domain=$(awk '$1 == "search" {print $2; exit}' /etc/resolv.conf 2>/dev/null || true)
      case $search_domain in
        *.svc.*) host=$host.$search_domain ;;
      esac
      ;;
  esac
fi
backend_url=$scheme://$host$port

# nginx takes IPv6 nameservers in brackets and no zone index (fe80::1%eth0): such entries are skipped.
nameservers=$(awk '$1 == "nameserver" && $2 !~ /%/ {print ($2 ~ /:/) ? "[" $2 "]" : $2}' /etc/resolv.conf 2>/dev/null | tr '\n' ' ' || true)
nameservers=${nameservers% }
if [ -n "$nameservers" ]; then
  printf '%s\n' "$nameservers" | grep -Eq '^[][0-9A-Fa-f.: ]+$' || fail "unexpected nameserver entries in /etc/resolv.conf: $nameservers"
  resolver_directive="resolver $nameservers valid=10s;"
else
  echo "todo-chatbot-frontend: no nameserver in /etc/resolv.conf: /api/ works only if BACKEND_URL names an IP address" >&2
  resolver_directive="# no nameserver in /etc/resolv.conf"
fi

worker_processes=${NGINX_WORKER_PROCESSES:-1}
printf '%s\n' "$worker_processes" | grep -Eq '^([1-9][0-9]{0,2}|auto)$' ||
  fail "NGINX_WORKER_PROCESSES '$worker_processes' is not a number or 'auto'"

[ -r "$template" ] || fail "template $template is missing from the image"
if ! mkdir -p "$runtime_dir" 2>/dev/null || [ ! -w "$runtime_dir" ]; then
  fail "cannot write $runtime_dir: /tmp must be writable (with a read-only root filesystem, mount a tmpfs or emptyDir at /tmp)"
fi

sed -e "s|@BACKEND_URL@|$backend_url|g" \
  -e "s|@RESOLVER_DIRECTIVE@|$resolver_directive|g" \
  -e "s|@WORKER_PROCESSES@|$worker_processes|g" \
  "$template" >"$config"

echo "todo-chatbot-frontend: serving on :8080 as uid $(id -u); /api/ -> $backend_url (resolver: ${nameservers:-none})" >&2
exec "$@"
