"""The Todo Chatbot as its users reach it: the API client, the browser, load, fuzzing and hostile input."""
