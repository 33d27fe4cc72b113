"""The mutants: each breaks one requirement in a copy of the reference deployment and names the scenarios that must fail.

A module per part of the deployment, each in the order its requirements run; MUTANTS keeps the catalog's order (the tests are
collected, and the static runs started, in it)."""

from __future__ import annotations

from tests.mutants.catalog import browser, chart, cluster, delivery, images, walkthrough
from tests.mutants.catalog.mutant import Edit, Mutant, StaleMutant, append, delete, key, replace, schema

__all__ = ["MUTANTS", "Edit", "Mutant", "StaleMutant", "append", "delete", "key", "replace", "schema"]

MUTANTS = [*images.MUTANTS, *chart.MUTANTS, *delivery.MUTANTS, *walkthrough.MUTANTS, *cluster.MUTANTS, *browser.MUTANTS,
           *cluster.NETWORK_POLICY_ENFORCED_MUTANTS]
