@FR_011 @cluster @beyond_seed
Feature: Upgrading from an earlier chart version, and rolling back
  A release of an earlier version of the chart is upgraded to this one, and rolled back, while users keep working,
  reading the list and writing todos: no request fails, and every todo the app acknowledged is there afterwards. The
  earlier version is this chart under a version that sorts before its own (a selector that holds the chart's version
  cannot be upgraded: a Deployment's selector is immutable); the upgrade also changes the log level, so every chart's
  pods roll, and the rollback rolls them back. A feature of its own: its release replaces the rolling upgrade's on a
  small node.

  Scenario: an upgrade from an earlier chart version loses no request and no todo
    Given the release installed from an earlier version of the chart with 2 replicas of each component in a namespace of its own
    And a todo "pay the rent" created through the frontend
    When the release is upgraded to this version of the chart with the log level set to "DEBUG" while users read and write todos through the frontend Service
    Then every request during the upgrade should have succeeded
    And every todo written during the upgrade should be listed once through the frontend afterwards
    And every pod of the release should have been replaced by a new revision
    And the release should run this version of the chart
    And the todo list through the frontend should hold "pay the rent"

  Scenario: a rollback to the earlier chart version loses no request and no todo
    Given the release installed from an earlier version of the chart with 2 replicas of each component in a namespace of its own
    And the release upgraded from it to this version of the chart with the log level set to "DEBUG"
    And a todo "call the landlord" created through the frontend
    When the release is rolled back to its previous revision while users read and write todos through the frontend Service
    Then every request during the rollback should have succeeded
    And every todo written during the rollback should be listed once through the frontend afterwards
    And every pod of the release should have been replaced by a new revision
    And the release should run an earlier version of the chart
    And the todo list through the frontend should hold "call the landlord"
