@smoke @cluster @shares_release
Feature: Smoke: the chart installs and runs on a cluster
  The quickest proof that the images, the chart and the cluster work together.

  Scenario: the reference chart installs and serves
    Given the release installed in a namespace of its own
    Then the data claim should be Bound
    And every pod of the release should be Running and Ready
    And the "backend" readiness path through the "backend" Service should answer 200
