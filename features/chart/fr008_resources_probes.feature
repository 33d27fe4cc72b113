@FR_008 @static
Feature: FR-008 Resources and probes
  Scheduling and self-healing depend on every container declaring what it needs and how it is checked.

  Background:
    Given the chart rendered with default values

  Scenario Outline: the <component> container requests and limits its resources
    Then the "<component>" container should request and be limited in CPU and memory, no request above its limit

    Examples:
      | component |
      | frontend  |
      | backend   |

  # The seed summary's design, not its requirement: other amounts differ from the seed, they do not fail.
  @seed_design
  Scenario Outline: the <component> container's resources are the seed's
    Then the "<component>" container should request "<cpu_request>" CPU and "<memory_request>" memory
    And the "<component>" container should be limited to "<cpu_limit>" CPU and "<memory_limit>" memory

    Examples:
      | component | cpu_request | memory_request | cpu_limit | memory_limit |
      | frontend  | 100m        | 128Mi          | 250m      | 256Mi        |
      | backend   | 250m        | 256Mi          | 500m      | 512Mi        |

  Scenario Outline: the <component> container is probed for liveness and readiness
    Then the "<component>" container should have a "liveness" probe
    And the "<component>" container should have a "readiness" probe

    Examples:
      | component |
      | frontend  |
      | backend   |

  # The seed summary's design, not its requirement: another health path differs from the seed, it does not fail.
  # (The reference's backend liveness is /livez, which ignores the database: an outage unreadies its pods instead of
  # restarting them; the seed names one health endpoint, what readiness asks.)
  @seed_design
  Scenario Outline: the <component> container's readiness probe asks the seed's <path>
    Then the "<component>" container should have a "readiness" probe on "<path>"

    Examples:
      | component | path         |
      | frontend  | /health.html |
      | backend   | /health      |

  @beyond_seed
  Scenario: the backend has time to start before liveness counts
    Then the "backend" container should have a "startup" probe
