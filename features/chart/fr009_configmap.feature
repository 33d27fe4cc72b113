@FR_009 @static
Feature: FR-009 Configuration through a ConfigMap
  Non-sensitive settings change without rebuilding images, and a change rolls the pods.

  Scenario: the backend reads its configuration from the ConfigMap
    Given the chart rendered with default values
    Then the "backend" container should take its environment from the chart's ConfigMap
    And the ConfigMap should set at least one setting the backend takes

  Scenario: every key the ConfigMap sets is one the backend reads
    Given the chart rendered with default values
    Then every key the ConfigMap sets should be read by the "backend" application's sources

  Scenario: the values reach the ConfigMap
    Given the chart under test
    When the chart is rendered with the log level set to "DEBUG"
    Then a setting the backend takes from the ConfigMap should be "DEBUG"

  @beyond_seed
  Scenario: a configuration change rolls the backend pods
    Given the chart under test
    When the chart is rendered with the log level set to "DEBUG"
    Then the "backend" pod template should differ from the default rendering
