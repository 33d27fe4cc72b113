"""Mutants: seeded defects in copies of the reference deployment, each of which some scenario must catch."""
