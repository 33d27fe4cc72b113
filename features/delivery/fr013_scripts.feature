@FR_013 @static
Feature: FR-013 Deployment scripts
  People deploy by hand with these scripts, so they must stop early and say how to fix what is wrong.

  Scenario Outline: <script> is strict, documented and lint-clean
    Given the deployment script "<script>"
    Then it should be executable and run in strict mode
    And "--help" should exit 0 and print a usage
    And an unknown option should fail with a message naming it
    And shellcheck should report nothing

    Examples:
      | script            |
      | minikube-setup.sh |
      | build-images.sh   |
      | deploy.sh         |
      | cleanup.sh        |

  # A checkout as a newcomer has it, before copying the env example: the script run as the guide says, no option.
  Scenario: deploy.sh refuses to run without a .env file
    Given the deployment script "deploy.sh" in a fresh checkout
    When it is run with no option where minikube reports the profile running
    Then it should fail
    And its error should name the env example file

  Scenario: minikube-setup.sh names a missing prerequisite and how to install it
    Given the deployment script "minikube-setup.sh"
    When it is run without "minikube" on the PATH
    Then it should fail
    And its error should mention "minikube" and "install"

  Scenario: .env.example lists every credential
    Given the env example file
    Then it should define every credential the chart takes
    And it should hold no credential-like value

  # The seed summary's design, not its requirement: other names differ from the seed, they do not fail.
  @seed_design
  Scenario: .env.example lists the seed's DATABASE_URL, OPENAI_API_KEY and NEON_API_KEY
    Given the env example file
    Then it should define "DATABASE_URL", "OPENAI_API_KEY" and "NEON_API_KEY"

  # The reference's own .env checks and options (--env-file, --set): a profile declines these for a script that makes
  # none, or takes its credentials another way.
  @beyond_seed
  Scenario Outline: deploy.sh refuses a .env line holding <defect>, naming the line and never the value
    Given the deployment script "deploy.sh"
    When it is run with a .env whose line 2 holds a secret with <defect>
    Then it should fail
    And its error should name "line 2"
    And no part of the secret should appear in its output

    Examples:
      | defect                        |
      | text that is not UTF-8        |
      | a control character           |
      | a NUL byte                    |
      | an inline comment             |
      | a space after the equals sign |
      | trailing whitespace           |

  @beyond_seed
  Scenario: deploy.sh refuses a credential given on the command line
    Given the deployment script "deploy.sh"
    When it is run with a valid .env and a secret given as "--set openaiApiKey=..."
    Then it should fail
    And its error should mention "env file" and "release history"
    And no part of the secret should appear in its output

  @beyond_seed
  Scenario: deploy.sh warns when other users can read the .env
    Given the deployment script "deploy.sh"
    When it is run with a valid .env that other users can read
    Then its error should mention "can be read by other users" and "chmod 600"

  # minikube's calls are read by meaning (--cpus 2 or --cpus=2, addons enabled one by one or at start), never as the
  # reference writes them.
  Scenario: minikube-setup.sh starts minikube, enables the addons and makes a private .env
    Given the deployment script "minikube-setup.sh" in a fresh checkout
    When it is run with no option where minikube reports no profile
    Then it should succeed
    And minikube should have been started
    And minikube should have the addons "metrics-server" and "storage-provisioner" enabled
    And the checkout should have a .env made from the env example that only its owner can read

  # The seed summary's design, not its requirement: other resources differ from the seed, they do not fail.
  @seed_design
  Scenario: minikube-setup.sh starts minikube with the seed's 2 CPUs and 4GB of memory
    Given the deployment script "minikube-setup.sh" in a fresh checkout
    When it is run with no option where minikube reports no profile
    Then minikube should have been started with 2 CPUs and 4096 MB of memory

  # The chart's NetworkPolicies protect only on a network plugin that enforces them.
  @beyond_seed
  Scenario: minikube-setup.sh starts minikube on a network that enforces NetworkPolicy
    Given the deployment script "minikube-setup.sh" in a fresh checkout
    When it is run with no option where minikube reports no profile
    Then minikube should have been started with a network plugin that enforces NetworkPolicy

  # The reference's own options: a profile declines these for a script that takes none.
  @beyond_seed
  Scenario: minikube-setup.sh starts minikube with the resources asked
    Given the deployment script "minikube-setup.sh" in a fresh checkout
    When it is run with "--cpus 2 --memory 3g" where minikube reports no profile
    Then it should succeed
    And minikube should have been started with 2 CPUs and 3072 MB of memory

  # minikube start on a running profile is harmless; the reference skips it and says so.
  @beyond_seed
  Scenario: minikube-setup.sh leaves a running profile as it is
    Given the deployment script "minikube-setup.sh" in a fresh checkout
    When it is run with no option where minikube reports the profile running
    Then it should succeed
    And minikube should not have been called with "start"

  @beyond_seed
  Scenario Outline: minikube-setup.sh refuses <resource> than the machine has, before starting anything
    Given the deployment script "minikube-setup.sh" in a fresh checkout
    When it is run with "<options>" where minikube reports no profile
    Then it should fail
    And its error should mention "more than this machine's"
    And minikube should not have been called with "start"

    Examples:
      | resource    | options          |
      | more CPUs   | --cpus 4096      |
      | more memory | --memory 100000g |
