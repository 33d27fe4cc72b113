// Client for the backend API (docs/contracts.md), always through relative /api/ URLs so nginx can proxy them.

/** An API call that did not answer 2xx: `status` is the HTTP status (0 when the request never got an answer). */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

// FastAPI puts the reason in "detail": a string, or for 422 a list of {loc, msg}; name the field when there is one.
function describeError(body, response) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((item) => {
        const field = Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body").join(".") : "";
        return field ? `${field}: ${item.msg}` : String(item.msg);
      })
      .join("; ");
  }
  return `${response.status} ${response.statusText}`.trim();
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (error) {
    throw new ApiError(`network error: ${error.message}`, 0);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new ApiError(describeError(parsed, response), response.status);
  return parsed;
}

// The API answers the list a page at a time (docs/contracts.md): read pages until one comes back short.
const PAGE_SIZE = 1000;
export async function listTodos() {
  const todos = [];
  for (;;) {
    const page = await request("GET", `/todos?limit=${PAGE_SIZE}&offset=${todos.length}`);
    if (!Array.isArray(page)) return todos;
    todos.push(...page);
    if (page.length < PAGE_SIZE) return todos;
  }
}
export const createTodo = (title) => request("POST", "/todos", { title });
export const updateTodo = (id, changes) => request("PATCH", `/todos/${encodeURIComponent(id)}`, changes);
export const deleteTodo = (id) => request("DELETE", `/todos/${encodeURIComponent(id)}`);

/** Sends one chat message; `sessionId` may be null for the first message. */
export function sendChat(message, sessionId) {
  const body = { message };
  if (sessionId) body.session_id = sessionId;
  return request("POST", "/chat", body);
}
