"""Declares the suite's plugin modules; hooks live in them, nothing else here."""

pytest_plugins = [
    "fixtures.options",
    "fixtures.progress",
    "fixtures.reporting",
    "fixtures.evidence",
    "fixtures.guard",
    "fixtures.tiers",
    "fixtures.credentials",
    "fixtures.http",
    "fixtures.chart",
    "fixtures.images",
    "fixtures.cluster_tier",
    "steps.outcome_steps",
    "steps.chart_steps",
    "steps.dockerfile_steps",
    "steps.image_steps",
    "steps.http_steps",
    "steps.script_steps",
    "steps.cluster_steps",
]
