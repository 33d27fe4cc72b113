// Command storage-provisioner is minikube's hostPath provisioner (k8s.io/minikube/pkg/storage), started as minikube's
// own cmd/storage-provisioner starts it, with one change: no leader election.
//
// minikube's addon image (storage-provisioner:v5) was built years ago with an older client-go. Built from the
// v1.37.0 source today, the provisioner library asks client-go for an Endpoints lock, which client-go no longer
// has ("endpoints lock is removed, migrate to leases"), and exits. One node runs one provisioner: it needs no lock.
package main

import (
	"context"
	"fmt"
	"os"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"k8s.io/minikube/pkg/storage"
	"sigs.k8s.io/sig-storage-lib-external-provisioner/v6/controller"
)

// The names minikube's cmd/storage-provisioner and pkg/storage use: the StorageClass "standard" names this provisioner.
const (
	pvDir           = "/tmp/hostpath-provisioner"
	provisionerName = "k8s.io/minikube-hostpath"
)

func main() {
	if err := os.MkdirAll("/tmp", 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "Error creating tmpdir: %v\n", err)
		os.Exit(1)
	}
	config, err := rest.InClusterConfig()
	if err != nil {
		klog.Exit(err)
	}
	clientset, err := kubernetes.NewForConfig(config)
	if err != nil {
		klog.Exit(err)
	}
	serverVersion, err := clientset.Discovery().ServerVersion()
	if err != nil {
		klog.Exitf("error getting server version: %v", err)
	}
	klog.Info("Storage provisioner initialized, now starting service!")
	controller.NewProvisionController(clientset, provisionerName, storage.NewHostPathProvisioner(pvDir), serverVersion.GitVersion,
		controller.LeaderElection(false)).Run(context.Background())
}
