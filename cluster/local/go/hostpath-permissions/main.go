// Command hostpath-permissions opens each volume directory that the in-tree hostPath
// provisioner creates to every user, so non-root pods can write to their PVC.
//
// kube-controller-manager's hostPath provisioner creates /tmp/hostpath_pv/<uuid> with
// mode 0750 owned by root, and the kubelet applies no fsGroup ownership to hostPath
// volumes: a pod running as UID 1001 could not write to its claim. This watcher sets
// mode 0777 on each new directory the moment it appears (inotify), and rescans every
// few seconds in case an event is missed. It is for a single-node test cluster only.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

func openDirectory(path string) {
	info, err := os.Lstat(path)
	if err != nil || !info.IsDir() {
		return
	}
	if info.Mode().Perm() == 0o777 {
		return
	}
	if err := os.Chmod(path, 0o777); err != nil {
		log.Printf("chmod %s: %v", path, err)
		return
	}
	log.Printf("opened %s (was %v)", path, info.Mode().Perm())
}

func rescan(root string) {
	entries, err := os.ReadDir(root)
	if err != nil {
		log.Printf("read %s: %v", root, err)
		return
	}
	for _, entry := range entries {
		openDirectory(filepath.Join(root, entry.Name()))
	}
}

func main() {
	root := flag.String("root", "/tmp/hostpath_pv", "directory under which the hostPath provisioner creates volumes")
	interval := flag.Duration("rescan-interval", 5*time.Second, "how often to rescan in case an inotify event was missed")
	flag.Parse()

	if err := os.MkdirAll(*root, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "cannot create %s: %v (run as root)\n", *root, err)
		os.Exit(1)
	}
	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		fmt.Fprintf(os.Stderr, "inotify unavailable: %v\n", err)
		os.Exit(1)
	}
	defer watcher.Close()
	if err := watcher.Add(*root); err != nil {
		fmt.Fprintf(os.Stderr, "cannot watch %s: %v\n", *root, err)
		os.Exit(1)
	}
	log.Printf("watching %s", *root)
	rescan(*root)
	ticker := time.NewTicker(*interval)
	defer ticker.Stop()
	for {
		select {
		case event, ok := <-watcher.Events:
			if !ok {
				return
			}
			if event.Has(fsnotify.Create) {
				openDirectory(event.Name)
			}
		case err, ok := <-watcher.Errors:
			if !ok {
				return
			}
			log.Printf("watch error: %v", err)
		case <-ticker.C:
			rescan(*root)
		}
	}
}
