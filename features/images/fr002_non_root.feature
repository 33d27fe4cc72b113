@FR_002
Feature: FR-002 Non-root containers
  A compromised process must not be root, in the image, in Docker or in the pod.
  Any non-root user meets the requirement. The users the seed names (nginx, app) and the backend's UID 1001 are the
  seed summary's design: another user differs from the seed, it does not fail.

  @static
  Scenario Outline: the <component> Dockerfile's final stage switches to a non-root user
    Given the "<component>" Dockerfile
    Then its final stage should switch to a non-root user

    Examples:
      | component |
      | frontend  |
      | backend   |

  @image
  Scenario Outline: the <component> image is configured to run as a non-root user
    Given the "<component>" image is built
    Then the image's configured user should be non-root

    Examples:
      | component |
      | frontend  |
      | backend   |

  @image
  Scenario Outline: the <component> image's processes run as a non-root user
    Given a "<component>" container is started
    Then "id -u" in the container should print a non-root user ID

    Examples:
      | component |
      | frontend  |
      | backend   |

  # The seed summary's design, not its requirement: another user differs from the seed, it does not fail.
  @image @seed_design
  Scenario: the frontend image runs as the seed's user nginx
    Given a "frontend" container is started
    Then "id -un" in the container should print "nginx"

  @image @seed_design
  Scenario: the backend image runs as the seed's user app, UID 1001
    Given a "backend" container is started
    Then "id -un" in the container should print "app"
    And "id -u" in the container should print "1001"

  @static @beyond_seed
  Scenario Outline: the <component> pod runs non-root with a hardened security context
    Given the chart rendered with default values
    Then the "<component>" pod should run as a non-root user
    And the "<component>" container should drop all capabilities and forbid privilege escalation
    And the "<component>" container should have a read-only root filesystem

    Examples:
      | component |
      | frontend  |
      | backend   |
