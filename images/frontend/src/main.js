// The Todo Chatbot page: renders the todo list, and the chat whose answers may change it.
import "./style.css";
import { createTodo, deleteTodo, listTodos, sendChat, updateTodo } from "./api.js";

const SESSION_KEY = "todo-chatbot-session-id";

const elements = {
  status: document.getElementById("status"),
  todoForm: document.getElementById("todo-form"),
  todoTitle: document.getElementById("todo-title"),
  todoList: document.getElementById("todo-list"),
  todoEmpty: document.getElementById("todo-empty"),
  todoCount: document.getElementById("todo-count"),
  chatForm: document.getElementById("chat-form"),
  chatMessage: document.getElementById("chat-message"),
  chatLog: document.getElementById("chat-log"),
};

function showStatus(message, isError = false) {
  elements.status.textContent = message;
  elements.status.classList.toggle("error", isError);
}

// Every element is built with textContent, never innerHTML: titles and replies are user-controlled text.
function renderTodos(todos) {
  const items = todos.map((todo) => {
    const item = document.createElement("li");
    item.className = todo.done ? "todo done" : "todo";
    item.dataset.id = String(todo.id);

    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    checkbox.checked = Boolean(todo.done);
    checkbox.id = `todo-${todo.id}`;
    checkbox.addEventListener("change", () => run(() => updateTodo(todo.id, { done: checkbox.checked })));

    const label = document.createElement("label");
    label.htmlFor = checkbox.id;
    label.textContent = todo.title;

    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "delete";
    remove.textContent = "Delete";
    remove.setAttribute("aria-label", `Delete "${todo.title}"`);
    remove.addEventListener("click", () => run(() => deleteTodo(todo.id)));

    item.append(checkbox, label, remove);
    return item;
  });
  elements.todoList.replaceChildren(...items);
  elements.todoEmpty.hidden = todos.length > 0;
  const open = todos.filter((todo) => !todo.done).length;
  elements.todoCount.textContent = todos.length ? `(${open} open of ${todos.length})` : "";
}

async function refreshTodos() {
  const todos = await listTodos();
  renderTodos(Array.isArray(todos) ? todos : []);
}

// Runs one change, then reloads the list from the backend so the page shows what it stored.
async function run(change) {
  try {
    await change();
    await refreshTodos();
    showStatus("");
  } catch (error) {
    showStatus(error.message, true);
    await refreshTodos().catch(() => {});
  }
}

function appendChat(role, text) {
  const entry = document.createElement("li");
  entry.className = `chat-entry ${role}`;
  entry.textContent = text;
  elements.chatLog.append(entry);
  elements.chatLog.scrollTop = elements.chatLog.scrollHeight;
}

elements.todoForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const title = elements.todoTitle.value.trim();
  if (!title) return;
  run(async () => {
    await createTodo(title);
    elements.todoTitle.value = "";
  });
});

elements.chatForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = elements.chatMessage.value.trim();
  if (!message) return;
  appendChat("user", message);
  elements.chatMessage.value = "";
  const button = elements.chatForm.querySelector("button");
  button.disabled = true;
  try {
    const answer = await sendChat(message, sessionStorage.getItem(SESSION_KEY));
    if (answer && answer.session_id) sessionStorage.setItem(SESSION_KEY, answer.session_id);
    appendChat("bot", (answer && answer.reply) || "(no reply)");
    // The chat may have added, completed or deleted todos: show the list as the backend now has it.
    await refreshTodos();
    showStatus("");
  } catch (error) {
    appendChat("error", `Chat failed: ${error.message}`);
  } finally {
    button.disabled = false;
    elements.chatMessage.focus();
  }
});

refreshTodos().catch((error) => showStatus(`Could not load todos: ${error.message}`, true));
