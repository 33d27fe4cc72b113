@FR_006 @static
Feature: FR-006 Flat, documented values
  Operators tune the deployment through values.yaml, so every key must be easy to find and explained.

  Background:
    Given the chart under test

  Scenario: values.yaml is flat
    Then no key in values.yaml should be nested deeper than 1 level

  @beyond_seed
  Scenario: every key in values.yaml is documented
    Then every key in values.yaml should have a comment that names it
