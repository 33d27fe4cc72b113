"""A first deployment profile drafted from a repository: each guess with the reason it was chosen."""
