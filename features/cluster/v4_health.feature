@V_4 @cluster @shares_release
Feature: V-4 Health endpoints through the Services
  What the probes see is what a client sees through the Services.

  Background:
    Given the release installed in a namespace of its own

  Scenario Outline: <path> answers through the <service> Service
    When "<path>" is requested through the "<service>" Service
    Then the response status should be 200

    Examples:
      | service  | path         |
      | backend  | /health      |
      | frontend | /health.html |

  Scenario: the frontend reaches the backend inside the cluster
    When "/api/todos" is requested through the "frontend" Service
    Then the response status should be 200
    And the response should be a JSON list
