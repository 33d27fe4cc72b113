@FR_014 @static
Feature: FR-014 Deployment guide
  A newcomer deploys, verifies and repairs the app from the guide alone.

  Background:
    Given the deployment guide

  Scenario: the guide covers the whole life of a deployment
    Then it should have the sections "Prerequisites", "Deployment steps", "Verification", "Troubleshooting" and "Tuning"

  Scenario: the guide shows every script
    Then it should mention the scripts "minikube-setup.sh", "build-images.sh", "deploy.sh" and "cleanup.sh"

  Scenario: the guide shows how to verify a deployment
    Then its "Verification" section should mention "kubectl get pods", "kubectl get pvc", "/health" and "delete pod"

  Scenario: the guide marks what a user types to deploy, verify and clean up, and the output to expect
    Then it should mark the commands of the steps "env", "build", "load", "deploy", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "cleanup" and "cleanup-data"
    And it should document the output of the steps "deploy", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "cleanup" and "cleanup-data"
