@static @FR_008 @FR_010 @FR_011 @beyond_seed
Feature: kube-score, the field's manifest linter, finds nothing critical in the chart
  Resources, probes, security contexts and rollouts are checked by the rules operators already trust;
  what the deployment deliberately does otherwise is waived in lint-waivers.yaml, each with its reason.

  Scenario: kube-score reports no unwaived critical or warning finding on the default rendering
    Given the chart rendered with default values
    When kube-score checks the rendering
    Then it should report no "CRITICAL" finding that is not waived
    And it should report no "WARNING" finding that is not waived

  Scenario: every lint waiver is still needed
    When both linters check the deployment
    Then every lint waiver should still match a finding
