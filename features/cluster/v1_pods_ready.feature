@V_1 @cluster @shares_release
Feature: V-1 Pods Running and Ready
  A release is up only when every pod it runs is Ready, as its user and within its limits.

  Background:
    Given the release installed in a namespace of its own

  Scenario: every pod of the release is Running and Ready
    Then every pod of the release should be Running and Ready

  # The seed summary's design, not its requirement: more replicas differ from the seed, they do not fail.
  @seed_design
  Scenario: each component runs the seed's 1 replica
    Then the "frontend" Deployment should have 1 ready replica
    And the "backend" Deployment should have 1 ready replica

  @FR_002
  Scenario Outline: the <component> pod's processes run as a non-root user
    Then "id -u" in the "<component>" pod should print a non-root user ID

    Examples:
      | component |
      | frontend  |
      | backend   |

  # The seed summary's design, not its requirement: another UID differs from the seed, it does not fail.
  @FR_002 @seed_design
  Scenario: the backend pod runs as the seed's UID 1001
    Then "id -u" in the "backend" pod should print "1001"

  @FR_008
  # The limits the Deployment declares, whatever their amounts (the seed's are FR-008's design scenario).
  Scenario Outline: the <component> pod runs with its limits and probes in force
    Then the running "<component>" container's CPU and memory limits should be in force
    And the running "<component>" container should have liveness and readiness probes

    Examples:
      | component |
      | frontend  |
      | backend   |

  @FR_010 @beyond_seed
  Scenario: no credential appears in the ConfigMap, the logs or the environment listing
    Given the release installed with canary credentials in a namespace of its own
    Then no canary credential should appear in the ConfigMap, the pod logs or the description of the "backend" pod
