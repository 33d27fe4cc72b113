@V_7 @cluster
Feature: V-7 SQLite persistence
  Todos live in the claim, so they outlive the pod and the release's upgrades.

  Background:
    Given the release installed in a namespace of its own

  Scenario: a todo lands in the database file the backend is configured with, on the claim
    Given a todo "water the ferns" created through the frontend
    Then the database file the backend is configured with should be on the claim and hold "water the ferns"

  Scenario: todos survive the backend pod's deletion
    Given a todo "file the taxes" created through the frontend
    When the "backend" pod is deleted
    Then a new "backend" pod should be Running and Ready
    And the todo list through the frontend should hold "file the taxes"

  Scenario: todos survive a helm upgrade
    Given a todo "renew the passport" created through the frontend
    When the release is upgraded with the log level set to "DEBUG"
    Then every pod of the release should have been replaced by a new revision
    And every pod of the release should be Running and Ready
    And the todo list through the frontend should hold "renew the passport"
