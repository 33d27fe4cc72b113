//go:build tools

// Package tools pins the minikube command build.sh compiles from the published module (storage-provisioner/ is
// the other).
package tools

import _ "k8s.io/minikube/cmd/minikube"
