@FR_009 @cluster
Feature: FR-009 A configuration change reaches the running backend
  The backend reads its configuration from the ConfigMap at start, so a changed value must roll
  the backend pods, and the new pods must run with it.

  Scenario: a changed log level replaces the backend pods, which run with the new value
    Given the release installed in a namespace of its own
    When the release is upgraded with the log level set to "WARNING"
    Then the "backend" pods should have been replaced by a new revision
    And the "backend" processes should run with the log level "WARNING" in their environment
