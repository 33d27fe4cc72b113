@FR_008 @FR_004 @cluster
Feature: Probes act on a hung container
  A container that stops answering is taken out of its Service and restarted by the kubelet.

  Scenario: a hung frontend leaves the endpoints, is restarted and recovers
    Given the release installed in a namespace of its own
    When the "frontend" container stops answering its health checks
    Then the Service "todo-chatbot-frontend" should have no ready endpoint
    And the "frontend" container should be restarted by the kubelet
    And the Service "todo-chatbot-frontend" should have a ready endpoint
