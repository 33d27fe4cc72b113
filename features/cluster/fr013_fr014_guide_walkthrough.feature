@FR_013 @FR_014 @cluster
Feature: FR-013 and FR-014 The guide, followed as a new user follows it
  A newcomer with a fresh checkout types what deployment/README.md shows, with its four scripts,
  in a shell whose kubectl context defaults to a namespace of its own: every command the guide
  marks runs as written and prints what the guide documents; on minikube that starts with its first step,
  minikube-setup.sh, on the running profile (its checks, its addons, the next commands it prints). The .env holds canary credentials
  (and points the OpenAI client at a port where nothing answers: OpenAI is outside the product).

  Scenario: the guide's steps build, load and deploy a working app, and no credential is printed
    Given the app deployed by following the guide, with canary credentials in .env
    And a todo "plant the tomatoes" created through the frontend
    Then the release should run the images that build-images.sh built
    And the Secret the deploy script made should hold exactly the values of .env, with no copy in an annotation
    And the release should take its credentials from the Secret the deploy script made
    And no value of .env should appear in anything the guide's commands printed
    And every pod of the release should be Running and Ready
    And the todo list through the frontend should hold "plant the tomatoes"

  Scenario: deploy.sh run again with nothing changed replaces no pod
    Given the app deployed by following the guide, with canary credentials in .env
    When the guide's "deploy" step is run again
    Then no pod of the release should have been replaced or restarted

  # The first credential of the profile's (the seed's OPENAI_API_KEY) that is not the database's: a new database URL
  # would leave the todos behind.
  Scenario: deploy.sh run again after .env changed gives the backend the new value
    Given the app deployed by following the guide, with canary credentials in .env
    When a credential other than the database's is changed in .env and the guide's "deploy" step is run again
    Then the "backend" pods should run with the credential's new value
    And the Secret the deploy script made should hold exactly the values of .env, with no copy in an annotation
    And no value of .env should appear in anything the guide's commands printed

  Scenario: the guide's verification commands V-1 to V-7 print what the guide documents
    Given the app deployed by following the guide, with canary credentials in .env
    When the guide's steps "v1", "v2", "v3", "v4", "v5", "v6" and "v7" are run in one shell
    Then every step should succeed and print what the guide documents

  Scenario: cleanup.sh asks first, and deletes nothing without a yes
    Given the app deployed by following the guide, with canary credentials in .env
    When the guide's "cleanup" step is run and its question is answered "n"
    Then it should fail, naming the context, namespace and release it would have cleaned up
    And the release, its Secret and its claim should still be there

  Scenario: cleanup.sh keeps the todos, and deploying again finds them
    Given the app deployed by following the guide, with canary credentials in .env
    And a todo "return the library books" created through the frontend
    When the guide's "cleanup" step is run, then its "deploy" step
    Then the cleanup should have removed the release and its Secret and kept the claim
    And the todo list through the new frontend Service should hold "return the library books"

  Scenario: cleanup.sh --delete-pvc leaves nothing of the release
    Given the app deployed by following the guide, with canary credentials in .env
    When the guide's "cleanup-data" step is run
    Then nothing of the release should be left in its namespace, its claim included
