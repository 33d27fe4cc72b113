"""The Helm chart's files and rendered manifests, read without a cluster."""
