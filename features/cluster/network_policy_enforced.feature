@cluster @beyond_seed
Feature: The chart's NetworkPolicy holds where the cluster enforces policies
  A pod that merely runs beside the release must not reach the API and its data, while the frontend and the
  in-cluster client that networkPolicyBackendClients names (the suite's own client pod) still do. A cluster
  that enforces no NetworkPolicy accepts policies all the same, so enforcement is shown first with a canary:
  where it is missing the scenario is skipped with the reason and the gate reported incomplete (failed in
  gate mode), never passed. "No answer" has its positive control: the same pod, given the labels the policy
  admits the named client by, then gets an answer to the same request.

  Background:
    Given the release installed in a namespace of its own
    And a cluster that enforces NetworkPolicy, shown by a canary policy that cuts a pod off

  Scenario: a pod outside the release gets no answer from the backend Service, while the frontend and the named client do
    When a pod of the release's namespace that no NetworkPolicy admits asks the "backend" Service for the "backend" readiness path
    Then it should get no answer
    And it should get an answer once it carries the labels the policy admits the named client by
    And the "backend" readiness path through the "backend" Service should answer 200
    And "/api/todos" through the "frontend" Service should answer 200
