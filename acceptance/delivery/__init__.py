"""What users run by hand: the scripts, the guide and its walkthrough, .env files, the documents."""
