# The two commands for a fresh machine: `make acceptance` (the gate) and `make test` (the project's own tests).
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
# Extra pytest arguments, e.g. make acceptance ARGS="-m FR_002"
ARGS ?=
# The deployment profile of the deployment under test, e.g. make acceptance PROFILE=examples/second-deployment/profile.yaml
PROFILE ?=
# make gate-many: the list of repositories (one a line: PATH-OR-GIT-URL [PROFILE]), repositories at once, the shard of
# the list this job runs (I/N), the tiers, where the table goes; make gate-many-merge: the shards' OUT directories.
LIST ?=
JOBS ?= 1
SHARD ?= 1/1
TIERS ?= static
OUT ?= reports/many
DIRS ?=
# Extra scripts/setup.sh arguments, e.g. SETUP_ARGS=--no-local-cluster (kind, minikube or an existing cluster)
SETUP_ARGS ?=

.PHONY: help setup acceptance test unit backend-tests self-test mutants bench cluster-up cluster-down cluster-selftest minikube-up minikube-down clean \
	gate-many gate-many-list gate-many-merge

help:
	@echo "make acceptance   set up what is missing, then run the acceptance suite (reports/acceptance.html)"
	@echo "make test         unit tests, the backend's tests, the suite on the reference deployment, the mutants"
	@echo "make mutants      prove every scenario can fail: prints 'mutants: K/N killed'"
	@echo "make bench        wall time per tier, image sizes and build times"
	@echo "make cluster-up   start the local offline Kubernetes cluster; make cluster-down stops it"
	@echo "make cluster-selftest  the cluster scripts for real: the local cluster from an empty state (loopback only, the host put back), minikube's down.sh beside Docker, dead runs swept"
	@echo "make minikube-up  build and start minikube offline (none driver); make minikube-down deletes it, leaving nothing"
	@echo "make gate-many LIST=FILE [JOBS=N] [SHARD=I/N] [TIERS=static,image] [OUT=DIR]  the suite on every repository of"
	@echo "                  FILE (a path or git URL a line, then its profile): one table, OUT/many.html and OUT/many.csv"
	@echo "make gate-many-merge DIRS=\"OUT1 OUT2 ...\" [OUT=DIR]  one table from the shards' OUT directories"

setup:
	scripts/setup.sh $(SETUP_ARGS)

acceptance: setup
	$(PYTEST) $(if $(PROFILE),--profile=$(PROFILE)) $(ARGS)

# ruff (lint and format) and mypy first, configured in pyproject.toml: a finding fails the target before the tests run.
unit: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	scripts/install-actionlint.sh
	$(PYTEST) tests/unit --report-dir=reports/unit -q

backend-tests: setup
	scripts/backend-tests.sh

mutants: setup
	$(PYTEST) tests/mutants --report-dir=reports/mutants -q $(ARGS)

# The gate and the mutants run on the local cluster (the mutants compare with the gate run just before, same tree,
# instead of running the reference again); each run stops the cluster it started. The second deployment's image tier
# proves the profile on real builds (Dockerfiles outside their contexts, mapped bases); its static tier is proven by
# the unit tests. Last, the cluster tier on minikube itself (built and started offline), the mutants only minikube
# itself can kill, and minikube deleted.
test: setup unit backend-tests
	$(PYTEST) --gate --cluster local $(ARGS)
	$(PYTEST) tests/cluster --report-dir=reports/cluster-selftest -q
	$(PYTEST) --gate -m image --profile=examples/second-deployment/profile.yaml --report-dir=reports/second-deployment
	(cluster/minikube/build.sh > reports/minikube-build.log 2>&1 &)  # minikube's Go builds overlap the mutants (nice)
	$(PYTEST) tests/mutants --report-dir=reports/mutants -q --reference-outcomes=reports/scenarios.json --cluster local -m "not minikube"
	$(PYTEST) --gate -m cluster --cluster minikube --keep-cluster --report-dir=reports/minikube
	$(PYTEST) tests/mutants --report-dir=reports/mutants-minikube -q --reference-outcomes=reports/minikube/scenarios.json --cluster minikube -m minikube
	cluster/minikube/down.sh

bench: setup
	scripts/bench.sh

# Many repositories, one table (README: "Many repositories, one table"). Exit 0 whatever the teams' verdicts.
gate-many: gate-many-list setup
	$(PYTHON) -m acceptance.many run "$(LIST)" --jobs=$(JOBS) --shard=$(SHARD) --tiers=$(TIERS) --out=$(OUT)

# Before setup, so a forgotten LIST costs nothing.
gate-many-list:
	@test -n "$(LIST)" || { echo "make gate-many: give LIST=FILE (one repository a line: PATH-OR-GIT-URL [PROFILE])" >&2; exit 2; }

gate-many-merge:
	@test -n "$(DIRS)" || { echo "make gate-many-merge: give DIRS=\"OUT1 OUT2 ...\" (each shard's OUT directory)" >&2; exit 2; }
	$(PYTHON) -m acceptance.many merge $(DIRS) --out=$(OUT)

.PHONY: traceability
# Regenerate docs/traceability.md from features/ and docs/seed-claims.yaml (after any scenario or tag change).
traceability:
	$(PYTHON) -m acceptance.report.traceability_page --write docs/traceability.md

.PHONY: lock
# Regenerate requirements.lock (what setup.sh installs: every dependency pinned, with its hashes) after a change to
# requirements.txt, with pip-tools in a throwaway venv. Kept pins stay; add --upgrade to move them all.
lock:
	venv=$$(mktemp -d) && trap 'rm -rf "$$venv"' EXIT && python3 -m venv "$$venv" && "$$venv/bin/pip" install -q pip-tools \
	  && CUSTOM_COMPILE_COMMAND="make lock" "$$venv/bin/pip-compile" -q --generate-hashes --allow-unsafe --strip-extras \
	    --no-emit-find-links --output-file=requirements.lock requirements.txt

cluster-up:
	cluster/local/up.sh

cluster-down:
	cluster/local/down.sh

# The local cluster from an empty state directory of its own (no cluster may run): see tests/cluster/test_local_start.py.
cluster-selftest: setup
	$(PYTEST) tests/cluster --report-dir=reports/cluster-selftest -q

# minikube and the local cluster need the same ports: one at a time (minikube-up says so when the other runs).
minikube-up:
	cluster/minikube/build.sh
	cluster/minikube/up.sh

minikube-down:
	cluster/minikube/down.sh

clean:
	rm -rf reports
