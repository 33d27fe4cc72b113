@FR_004
Feature: FR-004 Health endpoints
  Docker and Kubernetes can only heal what reports its own health truthfully.

  @static
  Scenario Outline: the <component> Dockerfile declares a health check
    Given the "<component>" Dockerfile
    Then its final stage should declare a HEALTHCHECK

    Examples:
      | component |
      | frontend  |
      | backend   |

  @image
  Scenario Outline: the <component> container turns healthy
    Given a "<component>" container is started
    Then Docker should report the container healthy

    Examples:
      | component |
      | frontend  |
      | backend   |

  @image
  Scenario: the frontend answers its health page
    Given a "frontend" container is started
    When "/health.html" is requested from the "frontend" container
    Then the response status should be 200

  @image
  Scenario: the backend's health reports a working database
    Given a "backend" container is started
    When "/health" is requested from the "backend" container
    Then the response status should be 200
    And the response JSON field "database" should be "ok"

  @image
  Scenario: the backend's health fails when its data directory is read-only
    Given a "backend" container is started with a read-only data directory
    When "/health" is requested from the "backend" container
    Then the response status should be 503
    And the response JSON field "status" should not be "ok"

  @image
  Scenario: the backend's health fails when its data directory is missing
    Given a "backend" container is started with its database in a missing directory
    When "/health" is requested from the "backend" container
    Then the response status should be 503
