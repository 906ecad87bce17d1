"""The generic Python semantic model: one ``ast`` parse indexed once (parents, nodes by type,
enclosing scopes and loops), imports and qualified names, bindings, literals and positions.

Python only: nothing in this package knows about Twilio or imports from the rest of
twilio-lint (but ``findings``)."""
