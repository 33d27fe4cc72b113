#!/bin/sh
# freeze-container.sh NAMESPACE POD CONTAINER: stops (SIGSTOP) every process of a running container.
# Runs on the container's node (see ClusterProvider.node_shell), because a process inside the
# container cannot stop its PID namespace's init. The kubelet's probes then fail as for a hung app.
set -eu
id=$(crictl ps --quiet --name "^$3\$" --label "io.kubernetes.pod.namespace=$1" --label "io.kubernetes.pod.name=$2" | head -n 1)
[ -n "$id" ] || { echo "no running container $3 in pod $1/$2 on this node" >&2; exit 1; }
pid=$(crictl inspect --output go-template --template '{{.info.pid}}' "$id")
cgroup=$(cat "/proc/$pid/cgroup")
stopped=0
for dir in /proc/[0-9]*; do
  [ "$(cat "$dir/cgroup" 2>/dev/null)" = "$cgroup" ] || continue
  kill -STOP "${dir#/proc/}" 2>/dev/null && stopped=$((stopped + 1))
done
[ "$stopped" -gt 0 ] || { echo "no process of container $3 ($id, main pid $pid) could be stopped" >&2; exit 1; }
echo "stopped $stopped processes of container $3 ($id, main pid $pid)"
