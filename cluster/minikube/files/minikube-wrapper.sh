#!/bin/sh
# minikube, as cluster/minikube/build.sh built it, with what its none driver needs on this machine:
# - the shims first on PATH: `systemctl --version` fails, so minikube manages services the OpenRC way (this
#   machine's PID 1 is not systemd), and `sudo` runs the command as is (we are root; minikube prefixes every
#   node command with it);
# - its state in MINIKUBE_HOME (profiles, certificates, the Kubernetes binaries it copies from);
# - no traffic off this machine: the lookups minikube and kubeadm make (GitHub releases, registry.k8s.io,
#   dl.k8s.io) go to a proxy address where nothing listens and fail at once; the node's own addresses bypass it (the
#   sudo shim keeps these settings from the node's commands, as a real sudo would);
# - no update check, no colours or emoji in its output.
# Installed as /usr/local/bin/minikube by build.sh; everything else is minikube's own behaviour.
PATH="@SHIMS@:$PATH"
MINIKUBE_HOME="${MINIKUBE_HOME:-@MINIKUBE_HOME@}"
MINIKUBE_IN_STYLE=false
MINIKUBE_WANTUPDATENOTIFICATION=false
MINIKUBE_WANTNONEDRIVERWARNING=false
NODE_IP="$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')"
HTTPS_PROXY=http://127.0.0.1:9
HTTP_PROXY=http://127.0.0.1:9
NO_PROXY="localhost,127.0.0.1,$NODE_IP,10.96.0.0/12,10.244.0.0/16,control-plane.minikube.internal,host.minikube.internal"
export HTTPS_PROXY HTTP_PROXY NO_PROXY
export PATH MINIKUBE_HOME MINIKUBE_IN_STYLE MINIKUBE_WANTUPDATENOTIFICATION MINIKUBE_WANTNONEDRIVERWARNING
exec "@MINIKUBE_BINARY@" "$@"
