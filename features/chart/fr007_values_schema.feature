@FR_007 @static
Feature: FR-007 Values schema
  A typo or a wrong type in a values file must stop an install before it reaches a cluster.

  Background:
    Given the chart under test

  Scenario: the default values satisfy the schema
    Then the default values should be valid against values.schema.json

  @beyond_seed
  Scenario: the schema closes every object to unknown keys
    Then values.schema.json should forbid unknown keys at every level

  Scenario Outline: a wrong <problem> is rejected
    When the chart is rendered with "<key>" set to <value>
    Then the command should fail
    And the error should name "<key>"

    Examples:
      | problem              | key                  | value      |
      | type                 | backendReplicaCount  | "three"    |
      | negative count       | frontendReplicaCount | -1         |
      | unknown key          | replicaCount         | 3          |
      | storage quantity     | persistenceSize      | "5 gigs"   |
      | service type         | frontendServiceType  | "Foo"      |
      | pull policy          | imagePullPolicy      | "Sometimes"|
      | boolean              | persistenceEnabled   | "yes"      |
      | port number          | backendServicePort   | 70000      |
      | plain-http OpenAI URL | openaiBaseUrl       | "http://api.example.com/v1" |

  Scenario: strict lint rejects a wrong value too
    When the chart is linted with "backendReplicaCount" set to "three"
    Then the command should fail
    And the error should name "backendReplicaCount"
