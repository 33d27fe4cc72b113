@V_6 @cluster
Feature: V-6 Self-healing
  A pod that dies is replaced without anyone acting, and the time it takes is known.

  Background:
    Given the release installed in a namespace of its own

  Scenario Outline: a deleted <component> pod is replaced and Ready again
    When the "<component>" pod is deleted
    Then a new "<component>" pod should be Running and Ready
    And the recovery time should be reported and within its budget

    Examples:
      | component |
      | frontend  |
      | backend   |
