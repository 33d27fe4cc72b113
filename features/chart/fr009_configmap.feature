@FR_009 @static
Feature: FR-009 Configuration through a ConfigMap
  Non-sensitive settings change without rebuilding images, and a change rolls the pods.

  Scenario: the backend reads its configuration from the ConfigMap
    Given the chart rendered with default values
    Then the "backend" container should take its environment from the chart's ConfigMap
    And the ConfigMap should set "LOG_LEVEL", "APP_ENV" and "OPENAI_MODEL"

  Scenario: every key the ConfigMap sets is one the backend reads
    Given the chart rendered with default values
    Then every key the ConfigMap sets should be read by the "backend" application's sources

  Scenario: the values reach the ConfigMap
    Given the chart under test
    When the chart is rendered with the log level set to "DEBUG"
    Then the ConfigMap should set "LOG_LEVEL" to "DEBUG"

  @beyond_seed
  Scenario: a configuration change rolls the backend pods
    Given the chart under test
    When the chart is rendered with the log level set to "DEBUG"
    Then the "backend" pod template should differ from the default rendering
