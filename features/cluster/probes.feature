@FR_008 @FR_004 @cluster @beyond_seed
Feature: Probes act on a hung container
  A container that stops answering is taken out of its Service and restarted by the kubelet.
  Every process of the container is stopped from its node, as a deadlocked app would stop.
  The readiness probes run every 2 seconds here, the liveness probes every 4, and a hung container is
  killed 1 second after its stop signal, through the chart's values, so the kubelet acts in seconds
  (FR-008's static scenarios check the defaults). With liveness the slower, the hung pod must leave the
  Service's endpoints while it still hangs, before the kubelet stops it: a pod that leaves only when its
  container is stopped was never judged unready. The restart must come within what the liveness probe
  promises: its period times its failure threshold, plus its timeout, the grace period and a margin.

  Scenario Outline: a hung <component> leaves the endpoints, is restarted and recovers
    Given the release installed with readiness probes every 2 seconds, liveness probes every 4 seconds and a 1 second grace period in a namespace of its own
    When the "<component>" container stops answering its health checks
    Then the "<component>" Service should drop the hung pod before the kubelet restarts it
    And the "<component>" container should be restarted by the kubelet
    And the "<component>" Service should have a ready endpoint

    Examples:
      | component |
      | frontend  |
      | backend   |
