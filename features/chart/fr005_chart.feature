@FR_005 @static
Feature: FR-005 Helm chart
  The chart is the one way the app is installed, so it must be complete, lint-clean and render.

  Background:
    Given the chart under test

  Scenario: the chart is named and versioned
    Then the chart should be named as the profile says, with a SemVer version

  # The seed summary's design, not its requirement: another version differs from the seed, it does not fail.
  @seed_design
  Scenario: the chart is at the seed's version
    Then the chart's version should be the seed's "1.0.0"

  Scenario: the chart holds every template the deployment needs
    Then the chart should hold the templates, as the profile names their files:
      | template            |
      | helpers             |
      | frontend-deployment |
      | frontend-service    |
      | backend-deployment  |
      | backend-service     |
      | backend-pvc         |
      | configmap           |
      | secret              |
      | notes               |

  Scenario: the chart passes helm lint in strict mode
    When the chart is linted in strict mode
    Then the command should succeed

  Scenario: the chart renders every resource with default values
    When the chart is rendered with default values
    Then the rendering should hold, found as the profile says:
      | resource            |
      | frontend Deployment |
      | backend Deployment  |
      | frontend Service    |
      | backend Service     |
      | data claim          |
      | ConfigMap           |
      | Secret              |

  Scenario: every resource carries the standard labels
    When the chart is rendered with default values
    Then every resource should carry the standard Kubernetes and Helm labels

  Scenario Outline: the <component> Service routes to the app
    When the chart is rendered with default values
    Then the "<component>" Service should select its pods and send each port to a port the container declares

    Examples:
      | component |
      | frontend  |
      | backend   |

  # The seed summary's design, not its requirement: another type or port differs from the seed, it does not fail.
  @seed_design
  Scenario Outline: the <component> Service is the seed's <type> on port <port>
    When the chart is rendered with default values
    Then the rendered "<component>" Service should be of type "<type>" on port <port>

    Examples:
      | component | type         | port |
      | frontend  | LoadBalancer | 80   |
      | backend   | ClusterIP    | 8000 |

  # The app has no authentication: the networks that reach its LoadBalancer are all that limits who uses it.
  @beyond_seed
  Scenario: the frontend LoadBalancer admits only the configured source ranges
    When the chart is rendered with the frontend's allowed source ranges set to ["203.0.113.0/24", "2001:db8::/32"]
    Then the "frontend" Service should admit only the source ranges "203.0.113.0/24" and "2001:db8::/32"

  @beyond_seed
  Scenario: the frontend LoadBalancer restricts no source range unless asked
    When the chart is rendered with default values
    Then the "frontend" Service should restrict no source range

  Scenario: NOTES.txt tells how to reach the app
    Then NOTES.txt should explain access with "minikube service" and with "port-forward"
