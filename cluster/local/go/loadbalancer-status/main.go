// Command loadbalancer-status gives each LoadBalancer Service of the local cluster an external IP
// of its own from an address range, the way a cloud load balancer (or MetalLB) would, so
// `helm install --wait` and `kubectl get svc` see an address. kube-proxy then forwards that
// address and port to the Service, applying loadBalancerSourceRanges as for any load balancer;
// two Services on the same port never collide. Nothing outside this machine is involved: the
// addresses are handled by kube-proxy's rules on this host. For a single-node test cluster only.
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// pool hands out the addresses of an inclusive IPv4 range, each to one Service at a time.
type pool struct {
	first, last uint32
	owner       map[string]string // address -> namespace/name
}

func newPool(spec string) (*pool, error) {
	from, to, found := strings.Cut(spec, "-")
	first, last := net.ParseIP(from).To4(), net.ParseIP(to).To4()
	if !found || first == nil || last == nil || binary.BigEndian.Uint32(first) > binary.BigEndian.Uint32(last) {
		return nil, fmt.Errorf("address range %q: want FIRST-LAST, two IPv4 addresses in order", spec)
	}
	return &pool{binary.BigEndian.Uint32(first), binary.BigEndian.Uint32(last), map[string]string{}}, nil
}

func (p *pool) contains(address string) bool {
	ip := net.ParseIP(address).To4()
	return ip != nil && binary.BigEndian.Uint32(ip) >= p.first && binary.BigEndian.Uint32(ip) <= p.last
}

// addressOf is the Service's address: the one it holds if it is in the range and its own, else the first free one.
func (p *pool) addressOf(service *corev1.Service) (string, error) {
	key := service.Namespace + "/" + service.Name
	for _, ingress := range service.Status.LoadBalancer.Ingress {
		if p.contains(ingress.IP) && (p.owner[ingress.IP] == "" || p.owner[ingress.IP] == key) {
			p.owner[ingress.IP] = key
			return ingress.IP, nil
		}
	}
	for value := p.first; value <= p.last; value++ {
		ip := make(net.IP, 4)
		binary.BigEndian.PutUint32(ip, value)
		if p.owner[ip.String()] == "" {
			p.owner[ip.String()] = key
			return ip.String(), nil
		}
	}
	return "", fmt.Errorf("no free address left in the range for %s", key)
}

func (p *pool) release(service *corev1.Service) {
	key := service.Namespace + "/" + service.Name
	for address, owner := range p.owner {
		if owner == key {
			delete(p.owner, address)
		}
	}
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	addresses := flag.String("addresses", "", "FIRST-LAST: the IPv4 range LoadBalancer Services get their external IPs from")
	flag.Parse()
	if *kubeconfig == "" || *addresses == "" {
		fmt.Fprintln(os.Stderr, "usage: loadbalancer-status --kubeconfig FILE --addresses FIRST-LAST")
		os.Exit(2)
	}
	addressPool, err := newPool(*addresses)
	if err != nil {
		log.Fatal(err)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig %s: %v", *kubeconfig, err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx := context.Background()
	log.Printf("publishing LoadBalancer Services at addresses from %s", *addresses)
	for {
		if err := watchServices(ctx, client, addressPool); err != nil {
			log.Printf("watch ended: %v; retrying", err)
		}
		time.Sleep(2 * time.Second)
	}
}

// watchServices lists the Services, fixes those that need it, then follows changes until the watch ends.
func watchServices(ctx context.Context, client kubernetes.Interface, addressPool *pool) error {
	list, err := client.CoreV1().Services("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	addressPool.owner = map[string]string{}
	for index := range list.Items { // addresses already held are kept first, so none is handed out twice
		if service := &list.Items[index]; service.Spec.Type == corev1.ServiceTypeLoadBalancer && len(service.Status.LoadBalancer.Ingress) > 0 {
			_, _ = addressPool.addressOf(service)
		}
	}
	for index := range list.Items {
		publish(ctx, client, &list.Items[index], addressPool)
	}
	watcher, err := client.CoreV1().Services("").Watch(ctx, metav1.ListOptions{ResourceVersion: list.ResourceVersion})
	if err != nil {
		return err
	}
	defer watcher.Stop()
	for event := range watcher.ResultChan() {
		service, ok := event.Object.(*corev1.Service)
		if !ok {
			continue
		}
		switch event.Type {
		case watch.Deleted:
			addressPool.release(service)
		case watch.Added, watch.Modified:
			publish(ctx, client, service, addressPool)
		}
	}
	return fmt.Errorf("watch channel closed")
}

func publish(ctx context.Context, client kubernetes.Interface, service *corev1.Service, addressPool *pool) {
	if service.Spec.Type != corev1.ServiceTypeLoadBalancer {
		addressPool.release(service)
		return
	}
	address, err := addressPool.addressOf(service)
	if err != nil {
		log.Print(err)
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
