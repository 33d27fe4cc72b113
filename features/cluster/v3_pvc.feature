@V_3 @cluster @shares_release
Feature: V-3 Persistent volume claim
  The database needs its claim bound and mounted before the first todo is written.

  Scenario: the data claim is Bound at 5Gi and mounted at /app/data
    Given the release installed in a namespace of its own
    Then the data claim should be Bound
    And the data claim should request exactly "5Gi" and be bound to at least that
    And the "backend" pod should have the claim mounted at "/app/data"
