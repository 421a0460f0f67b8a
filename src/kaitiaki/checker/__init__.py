"""The policy checker: pure Item -> Result. Imports nothing of the database or the web."""
