"""The ground floor: running tools, waiting, progress, timeouts, names, HTTP, credentials, outcomes, run ownership.
Imports no other package of the suite."""
