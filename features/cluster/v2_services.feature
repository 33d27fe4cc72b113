@V_2 @cluster @shares_release
Feature: V-2 Services
  Each tier is reachable by a stable name and port, backed by ready pods.

  Background:
    Given the release installed in a namespace of its own

  Scenario Outline: the <service> Service has the right type and port, and endpoints
    Then the "<service>" Service should be of type "<type>" on port <port>
    And the "<service>" Service should have a ready endpoint

    Examples:
      | service  | type         | port |
      | frontend | LoadBalancer | 80   |
      | backend  | ClusterIP    | 8000 |
