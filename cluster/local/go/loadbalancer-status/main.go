// Command loadbalancer-status gives each LoadBalancer Service of the local cluster an external IP,
// the way a cloud load balancer would, so `helm install --wait` and `kubectl get svc` see an
// address: its own cluster IP, as `minikube tunnel` does. Every Service so has an address of its
// own (two on the same port never collide), and kube-proxy forwards it to the Service's pods on
// this machine; nothing outside this machine is involved. For a single-node test cluster only.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	flag.Parse()
	if *kubeconfig == "" {
		fmt.Fprintln(os.Stderr, "usage: loadbalancer-status --kubeconfig FILE")
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig %s: %v", *kubeconfig, err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx := context.Background()
	log.Printf("publishing each LoadBalancer Service's cluster IP as its external IP")
	for {
		if err := watchServices(ctx, client); err != nil {
			log.Printf("watch ended: %v; retrying", err)
		}
		time.Sleep(2 * time.Second)
	}
}

// watchServices lists the Services, fixes those that need it, then follows changes until the watch ends.
func watchServices(ctx context.Context, client kubernetes.Interface) error {
	list, err := client.CoreV1().Services("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for index := range list.Items {
		publish(ctx, client, &list.Items[index])
	}
	watcher, err := client.CoreV1().Services("").Watch(ctx, metav1.ListOptions{ResourceVersion: list.ResourceVersion})
	if err != nil {
		return err
	}
	defer watcher.Stop()
	for event := range watcher.ResultChan() {
		if event.Type != watch.Added && event.Type != watch.Modified {
			continue
		}
		if service, ok := event.Object.(*corev1.Service); ok {
			publish(ctx, client, service)
		}
	}
	return fmt.Errorf("watch channel closed")
}

func publish(ctx context.Context, client kubernetes.Interface, service *corev1.Service) {
	address := service.Spec.ClusterIP
	if service.Spec.Type != corev1.ServiceTypeLoadBalancer || address == "" || address == corev1.ClusterIPNone {
		return
	}
	ingress := service.Status.LoadBalancer.Ingress
	if len(ingress) == 1 && ingress[0].IP == address {
		return
	}
	updated := service.DeepCopy()
	updated.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: address}}
	if _, err := client.CoreV1().Services(service.Namespace).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
		log.Printf("service %s/%s: %v", service.Namespace, service.Name, err)
		return
	}
	log.Printf("service %s/%s: external IP %s", service.Namespace, service.Name, address)
}
