@V_4 @cluster @shares_release
Feature: V-4 Health endpoints through the Services
  What the probes see is what a client sees through the Services.

  Background:
    Given the release installed in a namespace of its own

  # The path each readiness probe asks, read from the installed Deployment: the health endpoint the team chose (the
  # seed's are /health and /health.html, checked by FR-008's design scenario).
  Scenario Outline: the <component>'s readiness path answers through its Service
    When the "<component>" readiness path is requested through the "<component>" Service
    Then the response status should be 200

    Examples:
      | component |
      | backend   |
      | frontend  |

  Scenario: the frontend reaches the backend inside the cluster
    When "/api/todos" is requested through the "frontend" Service
    Then the response status should be 200
    And the response should be a JSON list
