@V_5 @cluster @shares_release
Feature: V-5 The app works end to end
  A user manages todos and chats through the frontend, and every action reaches the database.

  Background:
    Given the release installed in a namespace of its own

  Scenario: a todo created through the frontend is listed
    When a todo "buy milk" is created through the frontend
    Then the todo list through the frontend should hold "buy milk"

  Scenario: a todo completed through the frontend is done
    Given a todo "call the bank" created through the frontend
    When the todo "call the bank" is completed through the frontend
    Then the todo "call the bank" should be done

  Scenario: a todo deleted through the frontend leaves the list
    Given a todo "sell the bike" created through the frontend
    When the todo "sell the bike" is deleted through the frontend
    Then the todo list through the frontend should not hold "sell the bike"

  Scenario: a chat message changes the todo list
    When the chat is told "add water the plants" through the frontend
    Then the chat should answer in words
    And the todo list through the frontend should hold "water the plants"
