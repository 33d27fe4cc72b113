@FR_002 @cluster @beyond_seed
Feature: Pod Security Standard "restricted"
  The chart runs where the cluster forbids privileged, root or capability-holding pods. A cluster that does not
  enforce the namespace's label (its admission turned off) would admit anything: the scenario is then not judged.

  Scenario: the release runs in a namespace that enforces "restricted"
    Given the release installed in a namespace of its own that enforces the "restricted" Pod Security Standard
    And a cluster that enforces it, shown by a privileged pod it refuses in that namespace
    Then every pod of the release should be Running and Ready
