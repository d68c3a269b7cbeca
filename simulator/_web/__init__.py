"""Static files of the chat page (package data)."""
