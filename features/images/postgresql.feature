@image @beyond_seed
Feature: The backend keeps its todos in the PostgreSQL that its database URL names
  The seed's .env sets DATABASE_URL, where a hosted PostgreSQL (Neon) goes as well as the default SQLite file. A backend
  that reads the URL and keeps writing to a file of its own looks right until its pod goes: then the todos go with it.
  A real PostgreSQL (Debian's postgresql-15, in a container of its own) stands behind the URL.

  Scenario: a todo added through one backend is a row of PostgreSQL, and the next backend lists it
    Given a PostgreSQL server in a container of its own
    And a "backend" container is started with its database URL naming that PostgreSQL
    When "file the tax return" is added through that backend, which is then stopped and removed
    Then the PostgreSQL database should hold "file the tax return"
    And a new "backend" container with the same database URL should list "file the tax return"
