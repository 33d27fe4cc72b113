@image @beyond_seed
Feature: The API refuses hostile input, never with a server error, and stores nothing
  Bad input is the client's mistake: a 4xx, never a 500 (which hides a defect an attacker can find) and
  never a silent success. A chat message is the exception by design: the chat answers it in words (200)
  and changes nothing. Each request goes through the frontend's nginx to the backend, as a browser's
  would; a body too large is refused with 413 whichever of the two holds the limit (the reference's nginx
  refuses 10 MB, its backend 100 KiB: where the limit sits is design, the refusal is the requirement).

  Scenario: hand-picked bad requests through the frontend each get the status the table gives
    Given a "backend" container on a private network
    And a "frontend" container on the same network pointed at the backend
    When these bad requests are sent through the "frontend" container:
      | bad request                                     | status |
      | a todo id past 2^63                             | 422    |
      | a todo id of 0 to delete                        | 422    |
      | a negative todo id to change                    | 422    |
      | a title holding a NUL character                 | 422    |
      | a title holding a bell character                | 422    |
      | a title holding a lone UTF-16 surrogate         | 422    |
      | a title holding a right-to-left override        | 422    |
      | a chat message holding a NUL character          | 422    |
      | a chat message holding a lone UTF-16 surrogate  | 422    |
      | a chat message naming a todo past 2^63          | 200    |
      | a body that is not UTF-8                        | 422    |
      | a title given twice in one body                 | 422    |
      | a page of 0 todos                               | 422    |
      | JSON nested 10000 deep                          | 400    |
      | a body of 100 KiB                               | 413    |
      | a body of 10 MB                                 | 413    |
      | a todo sent as text/plain                       | 422    |
      | a todo sent as a form                           | 422    |
      | an empty change                                 | 422    |
    Then each should get its status
    And the todo list through the frontend container should still be empty
