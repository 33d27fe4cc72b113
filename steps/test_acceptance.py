"""Binds every feature under features/ to pytest; the steps live in the step modules beside this file."""

from pytest_bdd import scenarios

scenarios("images", "chart", "delivery", "cluster")
