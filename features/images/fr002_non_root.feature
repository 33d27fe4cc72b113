@FR_002
Feature: FR-002 Non-root containers
  A compromised process must not be root, in the image, in Docker or in the pod.
  The seed names the users (nginx, app) and the backend's UID 1001; a cell "(profile)" is a value the seed leaves
  to the deployment, taken from its profile (the frontend's UID).

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
  Scenario Outline: the <component> image runs as <user>
    Given a "<component>" container is started
    Then "id -u" in the container should print the user ID "<uid>"
    And "id -un" in the container should print "<user>"

    Examples:
      | component | uid       | user  |
      | frontend  | (profile) | nginx |
      | backend   | 1001      | app   |

  @static @beyond_seed
  Scenario Outline: the <component> pod runs non-root with a hardened security context
    Given the chart rendered with default values
    Then the "<component>" pod should run as non-root user <uid>
    And the "<component>" container should drop all capabilities and forbid privilege escalation
    And the "<component>" container should have a read-only root filesystem

    Examples:
      | component | uid       |
      | frontend  | (profile) |
      | backend   | 1001      |
