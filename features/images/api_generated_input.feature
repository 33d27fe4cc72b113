@image @beyond_seed
Feature: The API holds up under generated input and answers only what its OpenAPI documents
  Hand-picked bad requests find what someone thought of; a property-based run generates the rest from the
  backend's own OpenAPI (schemathesis). A fixed seed makes any failure reproducible with the command the
  report shows beside the scenario.

  Scenario: schemathesis with seed 1 and 50 examples per operation finds no server error and no undocumented answer
    Given a "backend" container is started
    When schemathesis runs against the "backend" container's own OpenAPI with seed 1 and 50 examples per operation
    Then it should have tested every operation the OpenAPI lists
    And it should have found no server error and no answer the OpenAPI does not document
