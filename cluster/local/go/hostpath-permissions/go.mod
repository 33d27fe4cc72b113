// Wrapper module: a tiny watcher that makes hostPath-provisioned volume directories writable.
module todo-chatbot/cluster/hostpath-permissions

go 1.24.0

require github.com/fsnotify/fsnotify v1.9.0

require golang.org/x/sys v0.13.0 // indirect
