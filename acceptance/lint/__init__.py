"""Linters (hadolint, kube-score, shellcheck, ...) and the waivers that accept a finding with a reason."""
