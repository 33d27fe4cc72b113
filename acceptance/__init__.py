"""The acceptance suite's library: tools, waits and timeouts, importable without pytest (fixtures and steps build on it)."""
