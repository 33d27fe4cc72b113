"""Declares the suite's plugin modules; hooks live in them, nothing else here."""

pytest_plugins = [
    "fixtures.options",
    "fixtures.progress",
    "fixtures.scenarios",
    "fixtures.evidence",
    "fixtures.reporting",
    "fixtures.traceability",
    "fixtures.guard",
    "fixtures.credentials",
    "fixtures.app",
    "fixtures.chart",
    "fixtures.lint",
    "fixtures.images",
    "fixtures.cluster_tier",
    "fixtures.walkthrough",
    "fixtures.tiers",
    "steps.outcome_steps",
    "steps.chart_steps",
    "steps.dockerfile_steps",
    "steps.image_steps",
    "steps.http_steps",
    "steps.script_steps",
    "steps.lint_steps",
    "steps.cluster_steps",
    "steps.guide_steps",
    "pytester",  # the unit tests run the suite in-process and in children with it
]
