"""The verdict and the traceability page: what the run found, said for people and pipelines."""
