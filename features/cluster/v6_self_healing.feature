@V_6 @cluster
Feature: V-6 Self-healing
  A deleted pod is replaced without anyone acting, and the time until its Service answers again (what a user
  waits, not only until a new pod says it is Ready) is known and within the profile's budget.

  Background:
    Given the release installed in a namespace of its own

  Scenario Outline: a deleted <component> pod is replaced and Ready again
    When the "<component>" pod is deleted
    Then a new "<component>" pod should be Running and Ready
    And the "<component>" Service should answer again
    And the recovery time should be reported and within its budget

    Examples:
      | component |
      | frontend  |
      | backend   |
