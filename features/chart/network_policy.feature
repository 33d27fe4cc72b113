@static @beyond_seed
Feature: NetworkPolicy: only the frontend reaches the backend, and each reaches out only where it must
  A compromised or careless pod in the cluster must not reach the API and its data, nor the backend call out anywhere.

  Scenario Outline: a NetworkPolicy isolates the <component> pods by default
    Given the chart rendered with default values
    Then the <component> NetworkPolicy should isolate the "<component>" pods for ingress and egress

    Examples:
      | component |
      | frontend  |
      | backend   |

  Scenario: the backend admits only the release's frontend pods, on its port
    Given the chart rendered with default values
    Then the "backend" pods should admit exactly:
      | protocol | port | peer                        |
      | TCP      | 8000 | the release's frontend pods |

  # A NetworkPolicy cannot name hosts: the database and the OpenAI API are reached on their ports, at any address by default.
  Scenario: the backend reaches out only to DNS, and to the database and OpenAI ports
    Given the chart rendered with default values
    Then the "backend" pods should be allowed to reach exactly:
      | protocol | port | peer        |
      | UDP      | 53   | any address |
      | TCP      | 53   | any address |
      | TCP      | 443  | 0.0.0.0/0   |
      | TCP      | 443  | ::/0        |
      | TCP      | 5432 | 0.0.0.0/0   |
      | TCP      | 5432 | ::/0        |

  Scenario: the database and OpenAI egress narrows to the configured addresses
    Given the chart under test
    When the chart is rendered with the backend's egress networks set to ["203.0.113.0/24"]
    Then the "backend" pods should be allowed to reach exactly:
      | protocol | port | peer           |
      | UDP      | 53   | any address    |
      | TCP      | 53   | any address    |
      | TCP      | 443  | 203.0.113.0/24 |
      | TCP      | 5432 | 203.0.113.0/24 |

  Scenario: with no egress ports the backend reaches out to DNS only
    Given the chart under test
    When the chart is rendered with the backend's egress ports set to []
    Then the "backend" pods should be allowed to reach exactly:
      | protocol | port | peer        |
      | UDP      | 53   | any address |
      | TCP      | 53   | any address |

  Scenario: the pods the backend's allowed clients name may call the backend too
    Given the chart under test
    When the chart is rendered with the backend's allowed clients set to {"app.kubernetes.io/name": "acceptance-client"}
    Then the "backend" pods should admit exactly:
      | protocol | port | peer                                                 |
      | TCP      | 8000 | the release's frontend pods                          |
      | TCP      | 8000 | pods labelled app.kubernetes.io/name=acceptance-client |

  Scenario: the frontend admits anyone on its port
    Given the chart rendered with default values
    Then the "frontend" pods should admit exactly:
      | protocol | port | peer        |
      | TCP      | 8080 | any address |

  Scenario: the frontend reaches out only to DNS and to the backend's port
    Given the chart rendered with default values
    Then the "frontend" pods should be allowed to reach exactly:
      | protocol | port | peer                       |
      | UDP      | 53   | any address                |
      | TCP      | 53   | any address                |
      | TCP      | 8000 | the release's backend pods |

  Scenario: no NetworkPolicy is rendered when the network policy switch is off
    Given the chart under test
    When the chart is rendered with the network policy switch set to false
    Then the rendering should hold no "NetworkPolicy"
