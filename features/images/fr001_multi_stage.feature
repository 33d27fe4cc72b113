@FR_001
Feature: FR-001 Multi-stage images
  Build tools stay in the build stages, so what ships holds only what runs the app.

  @static
  Scenario Outline: the <component> Dockerfile builds in stages from configurable bases
    Given the "<component>" Dockerfile
    Then it should have at least 2 stages
    And its final stage should copy from an earlier stage
    And its base images should be build arguments, as the profile names them

    Examples:
      | component |
      | frontend  |
      | backend   |

  @static
  Scenario: the frontend is built with npm from a committed lockfile
    Given the "frontend" Dockerfile
    Then the build context should hold "package-lock.json"
    And a build stage should run "npm ci"

  # What a user leaves beside the sources never reaches the builder, whatever the Dockerfile copies later: the
  # credentials of a .env, the repository's history, local dependencies that would shadow the locked ones.
  @static @beyond_seed
  Scenario Outline: the <component> build context keeps a .env, .git and local leftovers out of the builder
    Given the "<component>" Dockerfile
    When a ".env", a ".git" directory and "<leftover>" are left in its build context
    Then the build should send the builder none of them

    Examples:
      | component | leftover                    |
      | frontend  | node_modules/vite/index.js  |
      | backend   | .venv/bin/python            |

  @image
  Scenario Outline: the <component> runtime image holds no build tools
    Given the "<component>" image is built
    Then its filesystem should hold no compiler, node, npm or package-manager cache
    And its filesystem should hold no "<source>"

    Examples:
      | component | source           |
      | frontend  | package.json     |
      | backend   | requirements.txt |

  @image
  Scenario: the frontend's nginx runtime serves the built app with its protections
    Given a "backend" container on a private network
    And a "frontend" container on the same network pointed at the backend
    When "/" is requested from the "frontend" container with gzip accepted
    Then the response status should be 200
    And the response should be gzip-encoded
    And the response should carry the headers "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options" and "Referrer-Policy"

  @image
  Scenario: the frontend falls back to the app for client-side routes
    Given a "backend" container on a private network
    And a "frontend" container on the same network pointed at the backend
    When "/todos/some/client/route" is requested from the "frontend" container
    Then the response status should be 200
    And the response should be the app's index page

  @image @beyond_seed
  Scenario: the frontend's /api/ reaches the backend
    Given a "backend" container on a private network
    And a "frontend" container on the same network pointed at the backend
    When "/api/todos" is requested from the "frontend" container
    Then the response status should be 200
    And the response should be a JSON list

  # The app has no authentication and each chat message spends the OpenAI key: one client must not flood the API.
  @static @beyond_seed
  Scenario: the frontend's nginx limits each client's requests to /api/
    Given the "frontend" Dockerfile
    Then the nginx configuration it copies should limit each client address's requests to "/api/" in a declared zone
    And requests to "/api/" beyond the limit should be answered 429

  @static
  Scenario Outline: the <component> Dockerfile installs its dependencies before it copies its sources
    Given the "<component>" Dockerfile
    Then a build stage should copy its dependency manifests, such as "<manifests>", and run "<install>" before it copies any other source

    # <manifests> stands for its package managers' family (acceptance/docker_engine/dependency_manifests.py): for pip
    # also pyproject.toml, uv.lock, poetry.lock, Pipfile and Pipfile.lock; for npm also yarn.lock and pnpm-lock.yaml.
    Examples:
      | component | manifests         | install     |
      | frontend  | package*.json     | npm ci      |
      | backend   | requirements*.txt | pip install |

  @image
  Scenario Outline: a source-only change to the <component> rebuilds only the layers after its dependencies
    Given the "<component>" image is built
    When the "<component>" image is rebuilt twice, each time after a change to "<source>"
    Then the second rebuild's "<install>" step should come from the build cache
    And the second rebuild should share the first's layers up to its "<reused through>" step, and differ after it

    # (profile): the source file and the reuse step of the deployment's own sources and Dockerfile, from its profile
    Examples:
      | component | source    | install     | reused through |
      | frontend  | (profile) | npm ci      | (profile)      |
      | backend   | (profile) | pip install | (profile)      |

  @image
  Scenario: the backend runs from a virtualenv
    Given a "backend" container is started
    Then its serving process should run a Python from a virtualenv
    And that Python should import "fastapi" and "uvicorn" from inside its virtualenv
