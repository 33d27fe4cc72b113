"""pytest-bdd step definitions, one module per domain; thin: parse, call a helper, assert with evidence."""
