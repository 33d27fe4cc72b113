@static @FR_001 @FR_002 @beyond_seed
Feature: hadolint, the field's Dockerfile linter, finds nothing to fix in either Dockerfile
  Review misses what a linter does not: unpinned packages, shell-form commands, root users, stray caches.
  Findings at warning or above fail the gate unless a reviewed waiver in lint-waivers.yaml says why.

  Scenario Outline: hadolint reports no unwaived warning or error in the <component> Dockerfile
    Given the "<component>" Dockerfile
    When hadolint checks it
    Then it should report no finding at "warning" or above that is not waived

    Examples:
      | component |
      | frontend  |
      | backend   |
