@FR_010
Feature: FR-010 Credentials through a Secret
  Credentials reach the backend only through a Secret, and never leak into config, defaults, images or logs.

  @static
  Scenario: the Secret carries every credential and the ConfigMap none
    Given the chart under test
    When the chart is rendered with canary credentials
    Then the backend should take every credential the chart takes from the chart's Secret
    And no canary credential should appear outside the Secret

  # The seed summary's design, not its requirement: other names differ from the seed, they do not fail.
  @static @seed_design
  Scenario: the credentials carry the seed's names DATABASE_URL, OPENAI_API_KEY and NEON_API_KEY
    Given the chart under test
    When the chart is rendered with canary credentials
    Then the Secret should hold "DATABASE_URL", "OPENAI_API_KEY" and "NEON_API_KEY"

  @static @beyond_seed
  Scenario: an existing Secret replaces the chart's own
    Given the chart under test
    When the chart is rendered with the existing Secret set to "team-credentials"
    Then the rendering should hold no "Secret"
    And the "backend" container should take its environment from the Secret "team-credentials"

  @static @beyond_seed
  Scenario: the default values hold no real-looking credential
    Given the chart under test
    Then the default values should hold no credential-like value

  @image @beyond_seed
  Scenario: the backend image carries no credential
    Given the "backend" image is built
    Then the image's history and environment should hold no credential-like value
    And its filesystem should hold no ".env"

  @image @beyond_seed
  Scenario: the backend never logs or returns a credential
    Given a "backend" container is started with canary credentials
    When "/health" is requested from the "backend" container
    And "/api/chat" is posted to the "backend" container with "add buy milk"
    Then no canary credential should appear in the responses or the container logs
