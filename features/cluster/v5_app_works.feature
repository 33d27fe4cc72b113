@V_5 @cluster
Feature: V-5 The app works end to end
  A user manages todos and chats through the frontend, and every action reaches the database.

  Background:
    Given the release installed in a namespace of its own

  Scenario: todos are created, listed, completed and deleted through the frontend
    When a todo "buy milk" is created through the frontend
    Then the todo list through the frontend should hold "buy milk"
    When the todo "buy milk" is completed through the frontend
    Then the todo "buy milk" should be done
    When the todo "buy milk" is deleted through the frontend
    Then the todo list through the frontend should not hold "buy milk"

  Scenario: a chat message changes the todo list
    When the chat is told "add water the plants" through the frontend
    Then the chat should answer in words
    And the todo list through the frontend should hold "water the plants"
