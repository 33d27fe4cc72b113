@FR_011 @static
Feature: FR-011 Rolling updates
  An upgrade replaces pods a few at a time, so the app stays up while it changes.

  Scenario Outline: the <component> Deployment rolls updates one pod at a time
    Given the chart rendered with default values
    Then the "<component>" Deployment should use a RollingUpdate strategy with maxSurge 1 and maxUnavailable 1

    Examples:
      | component |
      | frontend  |
      | backend   |
