"""Many repositories, one table: the suite run on each repository of a list, its outcomes per requirement side by side."""
