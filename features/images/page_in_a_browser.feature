@image @browser @beyond_seed
Feature: A person can use the page in a real browser
  The HTTP checks prove that nginx and the API answer; only a browser running the page's own script proves a
  person can use it: a Content-Security-Policy that blocks the app's script, a bundle that calls the wrong API
  path or a page that throws on load pass them all. Each scenario drives Debian's Chromium, headless, through
  the frontend container, and puts a screenshot of the page in the report, pass or fail. Every scenario ends with
  what the browser reported: a console error, an uncaught error, a failed request or a CSP violation fails it.

  Background:
    Given a "backend" container on a private network
    And a "frontend" container on the same network pointed at the backend
    And the frontend container's page open in Chromium

  Scenario: the page loads with no console error and no Content-Security-Policy violation
    Then the page should show its empty todo list
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a todo added with the page's form is listed, and the API holds it
    When the todo "buy milk" is added with the page's form
    Then the page should list "buy milk" as open
    And the API behind the page should hold "buy milk" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a todo ticked on the page shows as done, and the API holds it done
    Given the todo "post the letter" added with the page's form
    When "post the letter" is ticked on the page
    Then the page should list "post the letter" as done
    And the API behind the page should hold "post the letter" as done
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a todo deleted with its button leaves the page and the API
    Given the todo "sell the sofa" added with the page's form
    When "sell the sofa" is deleted with its button on the page
    Then the page should not list "sell the sofa"
    And the API behind the page should not hold "sell the sofa"
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a chat message sent on the page is answered and the list shows what it added
    When the page's chat is told "add water the plants"
    Then the page's chat should show the reply the API gave it
    And the page should list "water the plants" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: a reload keeps the list
    Given the todo "call the bank" added with the page's form
    When the page is reloaded
    Then the page should list "call the bank" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation

  Scenario: the page is usable at a phone's width
    Given the window narrowed to a phone's 390 by 844 CSS pixels
    When the todo "pay rent" is added with the page's form
    Then the page should not scroll sideways
    And the page's fields and buttons should lie within the window
    And the page should list "pay rent" as open
    And the browser should have reported no console error, uncaught error, failed request or CSP violation
