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

  # The endpoint is the one the chart's probes ask, whatever its name: the path is the team's design.
  @image
  Scenario Outline: the <component> container answers the health endpoint its chart probes
    Given a "<component>" container is started
    When the health endpoint the chart probes is requested from the "<component>" container
    Then the response status should be 200

    Examples:
      | component |
      | frontend  |
      | backend   |

  @image
  Scenario: the backend's health fails when its data directory is read-only
    Given a "backend" container is started with a read-only data directory
    When the health endpoint the chart probes is requested from the "backend" container
    Then the response should report a failure, as a probe reads it

  @image
  Scenario: the backend's health fails when its data directory is missing
    Given a "backend" container is started with its database in a missing directory
    When the health endpoint the chart probes is requested from the "backend" container
    Then the response should report a failure, as a probe reads it

  # The seed summary's design, not its requirement: other paths or another answer differ from the seed, they do not fail.
  @image @seed_design
  Scenario: the frontend answers the seed's /health.html
    Given a "frontend" container is started
    When "/health.html" is requested from the "frontend" container
    Then the response status should be 200

  @image @seed_design
  Scenario: the backend's /health reports its database "ok" in JSON, as the seed's does
    Given a "backend" container is started
    When "/health" is requested from the "backend" container
    Then the response status should be 200
    And the response JSON field "database" should be "ok"
