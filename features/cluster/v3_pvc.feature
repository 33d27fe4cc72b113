@V_3 @cluster @shares_release
Feature: V-3 Persistent volume claim
  The database's claim is bound and mounted writable in its owner's running pod: where the todos are written. The claim's owner is the
  component the profile names (claim_owner): the seed's backend, or another team's database pod.

  Background:
    Given the release installed in a namespace of its own

  Scenario: the data claim is Bound at 5Gi and mounted writable in its owner's pod
    Then the data claim should be Bound
    And the data claim should request exactly "5Gi" and be bound to at least that
    And the pod of the data claim's owner should have it mounted writable

  # The seed summary's design, not its requirement: another mount path differs from the seed, it does not fail.
  @seed_design
  Scenario: the backend pod mounts the data claim at the seed's /app/data
    Then the "backend" pod should have the claim mounted at "/app/data"
