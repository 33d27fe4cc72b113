"""Kubernetes: the target, kubectl, helm, named conditions, the in-cluster client pod and the cluster providers.
Never imports the app, the release or the delivery packages."""
