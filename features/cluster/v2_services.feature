@V_2 @cluster @shares_release
Feature: V-2 Services
  Each tier is reachable by a stable name and port, backed by ready pods.

  Background:
    Given the release installed in a namespace of its own

  Scenario Outline: the <service> Service has a ready endpoint
    Then the "<service>" Service should have a ready endpoint

    Examples:
      | service  |
      | frontend |
      | backend  |

  # The seed summary's design, not its requirement: another type or port differs from the seed, it does not fail.
  @seed_design
  Scenario Outline: the <service> Service is the seed's <type> on port <port>
    Then the "<service>" Service should be of type "<type>" on port <port>

    Examples:
      | service  | type         | port |
      | frontend | LoadBalancer | 80   |
      | backend  | ClusterIP    | 8000 |
