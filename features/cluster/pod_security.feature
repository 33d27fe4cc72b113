@FR_002 @cluster @beyond_seed
Feature: Pod Security Standard "restricted"
  The chart runs where the cluster forbids privileged, root or capability-holding pods.

  Scenario: the release runs in a namespace that enforces "restricted"
    Given the release installed in a namespace of its own that enforces the "restricted" Pod Security Standard
    Then every pod of the release should be Running and Ready
    And a privileged pod should be refused in that namespace
