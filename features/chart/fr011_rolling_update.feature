@FR_011 @static
Feature: FR-011 Rolling updates
  An upgrade replaces pods a few at a time, so the app stays up while it changes.

  Scenario Outline: the <component> Deployment is configured for rolling updates
    Given the chart rendered with default values
    Then the "<component>" Deployment should be configured for rolling updates

    Examples:
      | component |
      | frontend  |
      | backend   |

  # The seed summary's design, not its requirement: other steps differ from the seed, they do not fail.
  @seed_design
  Scenario Outline: the <component> Deployment rolls with the seed's maxSurge 1 and maxUnavailable 1
    Given the chart rendered with default values
    Then the "<component>" Deployment should use a RollingUpdate strategy with maxSurge 1 and maxUnavailable 1

    Examples:
      | component |
      | frontend  |
      | backend   |
