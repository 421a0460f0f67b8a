"""Official Information Act requests: logging, due dates in working days, extensions, and the
redacted export of records that answers a request."""
