"""Todo Chatbot backend: a FastAPI service for todos and a chat that manages them."""

__version__ = "1.0.0"
