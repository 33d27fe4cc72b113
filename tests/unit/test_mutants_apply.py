"""Every mutant of the catalog still applies to the reference deployment: an edit whose text the reference no longer
holds (a guide or chart line reworded since) would leave its mutant running the reference itself, found only at the
end of a long self-test. Checked here in seconds, on one copy of the reference per mutant."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutants.catalog import MUTANTS
from tests.mutants.catalog.mutant import Mutant
from tests.mutants.test_mutants import copy_reference


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
def test_the_mutant_still_applies_to_the_reference(mutant: Mutant, tmp_path: Path):
    root = copy_reference(tmp_path)
    for edit in mutant.edits:
        edit(root)  # StaleMutant names the file and the text it no longer holds
