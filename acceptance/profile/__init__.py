"""The deployment profile: what a team's deployment is named and chose, read from YAML and checked by a schema."""
