@FR_005 @cluster @beyond_seed
Feature: Release lifecycle
  Installing tells the user how to reach the app; uninstalling leaves nothing behind by surprise: helm keeps
  whatever is marked helm.sh/resource-policy: keep, so only the data claim may be (a kept Secret would keep its credentials).

  Scenario: the install prints the access notes
    Given the release installed in a namespace of its own
    Then the install output should show NOTES with "port-forward" and "minikube service"

  Scenario: uninstalling leaves nothing of the release behind
    Given the release installed in a namespace of its own
    When the release is uninstalled
    Then nothing labelled with the release should remain in its namespace but the data claim the chart keeps on purpose
