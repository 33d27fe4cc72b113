@FR_003 @image
Feature: FR-003 Image size
  Small images pull and start fast and carry less to attack; each has a budget.

  Scenario Outline: the <component> image stays within its size budget
    Given the "<component>" image is built
    Then the image should be smaller than 500 MB
    And the image should be within its configured size budget

    Examples:
      | component |
      | frontend  |
      | backend   |
