@V_5 @cluster @browser @shares_release
Feature: V-5 The app works end to end in a browser
  What a user does on the page reaches the database through the frontend Service, as V-5 checks over HTTP;
  here Debian's Chromium, headless, runs the page's own script from the Service, and every scenario puts a
  screenshot of the page in the report, pass or fail. Every scenario ends with what the browser reported: a
  console error, an uncaught error, a failed request or a CSP violation fails it.

  Background:
    Given the release installed in a namespace of its own
    And the frontend Service's page open in Chromium

  Scenario: the page from the frontend Service loads with no console error and no Content-Security-Policy violation
    Then the page should show its todo list
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a todo added with the page's form is listed, and the frontend Service's API holds it
    When the todo "buy bread" is added with the page's form
    Then the page should list "buy bread" as open
    And the API behind the page should hold "buy bread" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a todo ticked on the page shows as done, and the frontend Service's API holds it done
    Given the todo "renew the lease" added with the page's form
    When "renew the lease" is ticked on the page
    Then the page should list "renew the lease" as done
    And the API behind the page should hold "renew the lease" as done
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a todo deleted with its button leaves the page and the frontend Service's API
    Given the todo "sell the bike rack" added with the page's form
    When "sell the bike rack" is deleted with its button on the page
    Then the page should not list "sell the bike rack"
    And the API behind the page should not hold "sell the bike rack"
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a chat message sent on the page is answered and the list shows what it added
    When the page's chat is told "add feed the cat"
    Then the page's chat should show the reply the API gave it
    And the page should list "feed the cat" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a reload keeps the list
    Given the todo "book the dentist" added with the page's form
    When the page is reloaded
    Then the page should list "book the dentist" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: the page is usable at a phone's width
    Given the window narrowed to a phone's 390 by 844 CSS pixels
    When the todo "pay the rent" is added with the page's form
    Then the page should not scroll sideways
    And the page's fields and buttons should lie within the window
    And the page should list "pay the rent" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation
