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
    When the chart is rendered with the <setting> set to <value>
    Then the command should fail
    And the error should name the <setting>

    Examples:
      | problem               | setting                     | value                       |
      | type                  | backend replica count       | "three"                     |
      | negative count        | frontend replica count      | -1                          |
      | unknown key           | key the chart does not have | 3                           |
      | storage quantity      | storage size                | "5 gigs"                    |
      | service type          | frontend Service type       | "Foo"                       |
      | pull policy           | image pull policy           | "Sometimes"                 |
      | boolean               | persistence switch          | "yes"                       |
      | port number           | backend Service port        | 70000                       |

    # The OpenAI base URL's rule (https, or http to a loopback host) goes beyond the seed.
    @beyond_seed
    Examples:
      | problem               | setting                     | value                       |
      | plain-http OpenAI URL | OpenAI base URL             | "http://api.example.com/v1" |

  Scenario: strict lint rejects a wrong value too
    When the chart is linted with the backend replica count set to "three"
    Then the command should fail
    And the error should name the backend replica count
