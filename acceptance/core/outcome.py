"""The three outcomes of a scenario: passed, failed (the deployment violates the requirement) and not judged (the
suite, a tool, the cluster or this machine could not check it); and the exit status that tells them apart."""

from __future__ import annotations

PASSED = "passed"
FAILED = "failed"
NOT_JUDGED = "not judged"
NOT_RUN = "not run"  # the run ended before the scenario (-x, an interrupt, a deselection after the plan)
DECLINED = "declined"  # the profile says the deployment does not offer it: not run, not passed
# A @seed_design scenario whose value is not the seed summary's: the deployment meets the requirement with another
# design (UID 1000, not 1001). Listed apart, never a failed requirement, unless --strict-seed grades against the summary.
DIFFERS = "differs"

# The exit status a CI pipeline reads (pytest's own are 0-5): 1 means the deployment is wrong, NOT_JUDGED_EXIT that
# the gate could not check all of it while nothing it checked failed. Documented in the README.
NOT_JUDGED_EXIT = 6

# Longest cause shown on a line of its own; the rest of the message stays with the scenario.
CAUSE_LENGTH = 200


class NotJudged(Exception):
    """The suite could not check a scenario, for a cause that is never the deployment's.

    cause is one line naming it, shared by every scenario it stopped (the report groups scenarios by it); detail is the
    whole story with the fix."""

    def __init__(self, cause: str, detail: str = "") -> None:
        self.cause = first_line(cause)
        self.detail = detail.strip()
        super().__init__(self.cause + (f"\n{self.detail}" if self.detail and self.detail != self.cause else ""))


def first_line(text: object) -> str:
    """The first non-empty line of text, at most CAUSE_LENGTH characters: a cause as a person reads it in a list."""
    line = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    return line if len(line) <= CAUSE_LENGTH else line[:CAUSE_LENGTH - 3] + "..."
