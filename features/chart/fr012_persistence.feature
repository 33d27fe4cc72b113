@FR_012 @static
Feature: FR-012 Persistent SQLite storage
  Todos outlive pods because the database lives on a claim, not in the container. The claim's owner is the component
  the profile names (claim_owner): the seed's backend, or another team's database pod.

  Scenario: the backend's data lives on a 5Gi claim
    Given the chart rendered with default values
    Then the chart should render a PersistentVolumeClaim of "5Gi" with access mode "ReadWriteOnce"
    And the data claim's owner should mount it

  # The seed summary's design, not its requirement: another path differs from the seed, it does not fail.
  @seed_design
  Scenario: the backend mounts its data claim at the seed's /app/data
    Given the chart rendered with default values
    Then the "backend" container should mount the chart's data claim at "/app/data"

  @beyond_seed
  Scenario: the storage class is configurable
    Given the chart under test
    When the chart is rendered with the storage class set to "fast-ssd"
    Then the PersistentVolumeClaim should use the storage class "fast-ssd"

  @beyond_seed
  Scenario: an existing claim replaces the chart's own
    Given the chart under test
    When the chart is rendered with the existing claim set to "todo-data"
    Then the rendering should hold no "PersistentVolumeClaim"
    And the data claim's owner should mount the claim "todo-data"
