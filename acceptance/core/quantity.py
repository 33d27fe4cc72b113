"""Kubernetes quantities ("5Gi", "250m", "0.5") as numbers: the same amount written two ways is the same amount."""

from __future__ import annotations

QUANTITY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9, "m": 0.001}


def quantity(text: str) -> float:
    """A Kubernetes quantity ("5Gi", "250m") as a number.

    Raises:
        ValueError: text is not a quantity ("5 gigs").
    """
    for unit, factor in QUANTITY_UNITS.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
