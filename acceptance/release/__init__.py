"""A release of the chart installed on a cluster, in a namespace of its own, and what it is checked for."""
