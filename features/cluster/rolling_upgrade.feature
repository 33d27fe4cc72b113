@FR_011 @cluster @beyond_seed
Feature: Availability during a rolling upgrade
  A configuration change rolls out while users keep working, reading the list and writing todos: no request fails,
  and every todo the app acknowledged is there afterwards (chart_version_upgrade.feature does the same from an
  earlier version of the chart, and back).

  Scenario: an upgrade with a changed configuration loses no request
    Given the release installed with 2 replicas of each component in a namespace of its own
    When the release is upgraded with the log level set to "DEBUG" while users read and write todos through the frontend Service
    Then every request during the upgrade should have succeeded
    And every todo written during the upgrade should be listed once through the frontend afterwards
    And every pod of the release should have been replaced by a new revision
    And every pod of the release should be Running and Ready
